import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { http } from "viem";
import { createConfig, WagmiProvider } from "wagmi";
import { App } from "./App.tsx";
import { chainOf, loadDeployment } from "./deployment.ts";
import { DeploymentProvider } from "./taonet.tsx";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
try {
  const deployment = await loadDeployment();
  const chain = chainOf(deployment);
  // Wallets are found by EIP-6963 discovery (multiInjectedProviderDiscovery); no connector is fixed.
  const config = createConfig({
    chains: [chain],
    transports: { [chain.id]: http(deployment.rpcUrl) },
    multiInjectedProviderDiscovery: true,
    pollingInterval: 1000,
  });
  const queryClient = new QueryClient();
  root.render(
    <StrictMode>
      <WagmiProvider config={config}>
        <QueryClientProvider client={queryClient}>
          <DeploymentProvider deployment={deployment}>
            <App />
          </DeploymentProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  );
} catch (error) {
  root.render(<p className="tx tx-failed">Cannot load the deployment: {(error as Error).message}</p>);
}
