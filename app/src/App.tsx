import { useEffect, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { describeError } from "./describe-error.ts";
import { shortAddress } from "./format.ts";
import { Account } from "./pages/Account.tsx";
import { Create } from "./pages/Create.tsx";
import { Overview } from "./pages/Overview.tsx";
import { SubnetPage } from "./pages/SubnetPage.tsx";
import { Validators } from "./pages/Validators.tsx";
import { useDeployment } from "./taonet.tsx";

function useHashRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || "/");
  useEffect(() => {
    const onChange = () => setRoute(location.hash.slice(1) || "/");
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function App() {
  const route = useHashRoute();
  const subnet = /^\/subnet\/(\d+)$/.exec(route);
  const page = subnet ? (
    <SubnetPage netuid={BigInt(subnet[1]!)} />
  ) : route === "/validators" ? (
    <Validators />
  ) : route === "/create" ? (
    <Create />
  ) : route === "/account" ? (
    <Account />
  ) : (
    <Overview />
  );
  return (
    <>
      <header>
        <a className="brand" href="#/">
          taonet
        </a>
        <nav>
          <a href="#/">Subnets</a>
          <a href="#/validators">Validators</a>
          <a href="#/create">Create</a>
          <a href="#/account">My account</a>
        </nav>
        <WalletBar />
      </header>
      <main>{page}</main>
    </>
  );
}

function WalletBar() {
  const deployment = useDeployment();
  const { address, chainId, isConnected, connector } = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const error = connect.error ?? switchChain.error;

  if (!isConnected || !address) {
    return (
      <div className="wallet">
        {connectors.length === 0 && <span className="muted">No wallet found (install an EIP-6963 wallet)</span>}
        {connectors.map((c) => (
          <button key={c.uid} onClick={() => connect.mutate({ connector: c })} disabled={connect.isPending}>
            Connect {c.name}
          </button>
        ))}
        {error && <span className="tx-failed">{describeError(error)}</span>}
      </div>
    );
  }
  const wrongNetwork = chainId !== deployment.chainId;
  return (
    <div className="wallet">
      <span className={wrongNetwork ? "network wrong" : "network"} data-testid="network">
        {wrongNetwork ? `Wrong network (chain ${chainId})` : `${deployment.chainName} (chain ${chainId})`}
      </span>
      {wrongNetwork && (
        <button onClick={() => switchChain.mutate({ chainId: deployment.chainId })} disabled={switchChain.isPending}>
          Switch to {deployment.chainName}
        </button>
      )}
      <span className="address" title={address} data-testid="address">
        {connector?.name}: {shortAddress(address)}
      </span>
      <button className="secondary" onClick={() => disconnect.mutate({})}>
        Disconnect
      </button>
      {error && <span className="tx-failed">{describeError(error)}</span>}
    </div>
  );
}
