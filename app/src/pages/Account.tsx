import { useState } from "react";
import { parseEther, type Address } from "viem";
import { useConnection } from "wagmi";
import { duration, shortAddress, tao } from "../format.ts";
import { useChainQuery, type PendingWithdrawal, type Position } from "../taonet.tsx";
import { TxStatus, useTransaction } from "../transaction.tsx";

/**
 * The connected coldkey: balances, stake positions (with unstake), rewards earned (what the
 * positions are worth plus what was unstaked, minus what was staked), queued withdrawals (complete
 * one when due).
 */
export function Account() {
  const { address } = useConnection();
  const { data, error } = useChainQuery(
    ["account", address],
    async ({ read, client, deployment }) => {
      const account = address!;
      const [balance, eth, positions, withdrawals, block, added, queued] = await Promise.all([
        read<bigint>("TAO", "balanceOf", [account]),
        client.getBalance({ address: account }),
        read<Position[]>("Staking", "positionsOf", [account]),
        read<PendingWithdrawal[]>("Staking", "pendingWithdrawalsOf", [account]),
        client.getBlock(),
        client.getContractEvents({
          ...deployment.contracts.Staking,
          eventName: "StakeAdded",
          args: { coldkey: account },
          fromBlock: BigInt(deployment.fromBlock ?? 0),
        }),
        client.getContractEvents({
          ...deployment.contracts.Staking,
          eventName: "WithdrawalQueued",
          args: { coldkey: account },
          fromBlock: BigInt(deployment.fromBlock ?? 0),
        }),
      ]);
      const sum = (logs: readonly unknown[]) =>
        logs.reduce<bigint>((s, l) => s + (l as { args: { assets: bigint } }).args.assets, 0n);
      const value = positions.reduce((s, p) => s + p.assets, 0n);
      const earned = value + sum(queued) - sum(added);
      return { balance, eth, positions, withdrawals, now: block.timestamp, earned, value };
    },
    address !== undefined,
  );
  const tx = useTransaction();
  const [amounts, setAmounts] = useState<Record<string, string>>({});

  if (!address) return <p>Connect a wallet to see your account.</p>;
  if (error) return <p className="tx-failed">{error.message}</p>;
  if (!data) return <p>Loading your account…</p>;

  function unstake(position: Position) {
    const typed = amounts[position.hotkey];
    const assets = typed ? parseEther(typed) : position.assets;
    // Shares for the typed amount (all of them for the whole position or more), rounded down.
    const shares = assets >= position.assets ? position.shares : (assets * position.shares) / position.assets;
    void tx
      .run(`Unstake ${tao(assets)} TAO from ${shortAddress(position.hotkey)}`, ({ send }) =>
        send("Unstake", "Staking", "removeStake", [position.hotkey, shares]).then(() => undefined),
      )
      .then((done) => done && setAmounts((a) => ({ ...a, [position.hotkey]: "" })));
  }

  function complete(id: bigint) {
    void tx.run(`Complete withdrawal ${id}`, ({ send }) =>
      send("Complete withdrawal", "Staking", "completeWithdrawal", [id]).then(() => undefined),
    );
  }

  return (
    <section>
      <h1>My account</h1>
      <p>
        <code>{address}</code>
      </p>
      <div className="cards">
        <div className="card">
          TAO balance
          <strong data-testid="balance">{tao(data.balance)}</strong>
        </div>
        <div className="card">
          Staked
          <strong data-testid="staked">{tao(data.value)}</strong>
        </div>
        <div className="card">
          Rewards (net of slashes)
          <strong data-testid="earned">{tao(data.earned)}</strong>
        </div>
        <div className="card">
          ETH (gas)
          <strong>{tao(data.eth)}</strong>
        </div>
      </div>
      <TxStatus state={tx.state} />
      <h2>Positions</h2>
      {data.positions.length === 0 ? (
        <p className="muted">No stake yet: stake to a validator on the Validators page.</p>
      ) : (
        <table data-testid="positions">
          <thead>
            <tr>
              <th>hotkey</th>
              <th>stake (TAO)</th>
              <th>unstake</th>
            </tr>
          </thead>
          <tbody>
            {data.positions.map((p) => (
              <tr key={p.hotkey} data-hotkey={p.hotkey}>
                <td title={p.hotkey}>{shortAddress(p.hotkey)}</td>
                <td>{tao(p.assets)}</td>
                <td>
                  <input
                    name="unstake-amount"
                    placeholder={`all (${tao(p.assets)})`}
                    size={12}
                    value={amounts[p.hotkey] ?? ""}
                    onChange={(e) => setAmounts((a) => ({ ...a, [p.hotkey]: e.target.value }))}
                  />{" "}
                  <button disabled={tx.busy} onClick={() => unstake(p)}>
                    Unstake
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Pending withdrawals</h2>
      {data.withdrawals.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table data-testid="withdrawals">
          <thead>
            <tr>
              <th>id</th>
              <th>hotkey</th>
              <th>TAO</th>
              <th>due</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.withdrawals.map((w) => {
              const left = Number(w.completableAt - data.now);
              return (
                <tr key={w.id.toString()}>
                  <td>{w.id.toString()}</td>
                  <td title={w.hotkey}>{shortAddress(w.hotkey as Address)}</td>
                  <td>{tao(w.assets)}</td>
                  <td>{left <= 0 ? "due" : `in ${duration(left)}`}</td>
                  <td>
                    <button disabled={tx.busy} onClick={() => complete(w.id)}>
                      {left <= 0 ? "Complete" : "Complete (not due yet)"}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
