import { useState } from "react";
import { parseEther, parseSignature, type Address } from "viem";
import { shortAddress, tao } from "../format.ts";
import { useChainQuery, type NeuronInfo, type SubnetInfo } from "../taonet.tsx";
import { TxStatus, useTransaction } from "../transaction.tsx";

type Validator = {
  hotkey: Address;
  coldkey: Address;
  subnets: string[];
  permit: boolean;
  takeBps: number;
  stake: bigint;
  delegators: number;
  recentDividends: bigint;
};

/** How many of a subnet's latest epochs count towards a hotkey's recent dividends. */
const RECENT_EPOCHS = 10;

/**
 * Registered hotkeys (validators with a permit first): take, total stake, delegators (coldkeys with
 * stake in the pool, from StakeAdded logs) and their dividends over each subnet's last epochs (the
 * validator emission of their UID in the settlement's EpochOutputs logs, since they registered: the
 * pool applies the rewards it accrues only when next touched, so its own events lag); and a form that
 * stakes to one with an EIP-2612 permit (one signature, one transaction).
 */
export function Validators() {
  const { data, error } = useChainQuery(["validators"], async ({ read, client, deployment }) => {
    const infos = await read<SubnetInfo[]>("MetagraphLens", "subnetInfos");
    const byHotkey = new Map<
      Address,
      { neuron: NeuronInfo; subnets: string[]; permit: boolean; uids: { netuid: bigint; neuron: NeuronInfo }[] }
    >();
    for (const info of infos) {
      const [neurons] = await read<[NeuronInfo[], bigint]>("MetagraphLens", "metagraph", [
        info.netuid,
        0n,
        2n ** 256n - 1n,
      ]);
      for (const neuron of neurons) {
        const entry = byHotkey.get(neuron.hotkey) ?? { neuron, subnets: [], permit: false, uids: [] };
        entry.subnets.push(info.netuid.toString());
        entry.uids.push({ netuid: info.netuid, neuron });
        entry.permit ||= neuron.validatorPermit;
        byHotkey.set(neuron.hotkey, entry);
      }
    }
    const [added, outputs] = await Promise.all([
      client.getContractEvents({
        ...deployment.contracts.Staking,
        eventName: "StakeAdded",
        fromBlock: BigInt(deployment.fromBlock ?? 0),
      }),
      client.getContractEvents({
        ...deployment.contracts.YumaSettlement,
        eventName: "EpochOutputs",
        fromBlock: BigInt(deployment.fromBlock ?? 0),
      }),
    ]);
    const validators: Validator[] = await Promise.all(
      [...byHotkey.entries()].map(async ([hotkey, { neuron, subnets, permit, uids }]) => {
        const coldkeys = new Set(
          added
            .map((l) => (l as unknown as { args: { hotkey: Address; coldkey: Address } }).args)
            .filter((a) => a.hotkey === hotkey)
            .map((a) => a.coldkey),
        );
        const staked = await Promise.all([...coldkeys].map((c) => read<bigint>("Staking", "stakeOf", [c, hotkey])));
        let recentDividends = 0n;
        for (const { netuid, neuron: held } of uids) {
          const epochs = outputs
            .filter((l) => l.blockNumber >= held.registeredAtBlock)
            .map((l) => (l as unknown as { args: { netuid: bigint; validatorEmission: readonly bigint[] } }).args)
            .filter((a) => a.netuid === netuid)
            .slice(-RECENT_EPOCHS);
          for (const e of epochs) recentDividends += e.validatorEmission[Number(held.uid)] ?? 0n;
        }
        const info = await read<{ takeBps: number }>("Staking", "hotkeyInfo", [hotkey]);
        const totals = await read<{ stakeAssets: bigint }>("Staking", "poolTotals", [hotkey]);
        return {
          hotkey,
          coldkey: neuron.coldkey,
          subnets,
          permit,
          takeBps: info.takeBps,
          stake: totals.stakeAssets,
          delegators: staked.filter((s) => s > 0n).length,
          recentDividends,
        };
      }),
    );
    validators.sort(
      (a, b) => Number(b.permit) - Number(a.permit) || (b.stake > a.stake ? 1 : b.stake < a.stake ? -1 : 0),
    );
    return validators;
  });
  const [hotkey, setHotkey] = useState<string>("");
  const [amount, setAmount] = useState("10");
  const tx = useTransaction();

  async function stakeWithPermit() {
    const target = (hotkey || data?.[0]?.hotkey) as Address | undefined;
    if (!target) return;
    await tx.run(
      `Stake ${amount} TAO to ${shortAddress(target)}`,
      async ({ account, wallet, client, deployment, sign, send }) => {
        const assets = parseEther(amount);
        const tao = deployment.contracts.TAO;
        const [nonce, domain, block] = await Promise.all([
          client.readContract({ ...tao, functionName: "nonces", args: [account] }) as Promise<bigint>,
          client.readContract({ ...tao, functionName: "eip712Domain" }) as Promise<
            readonly [string, string, string, bigint, Address, string, readonly bigint[]]
          >,
          client.getBlock(),
        ]);
        const deadline = block.timestamp + 3600n;
        const signature = await sign("Sign the permit", () =>
          wallet.signTypedData({
            account,
            domain: { name: domain[1], version: domain[2], chainId: Number(domain[3]), verifyingContract: domain[4] },
            types: {
              Permit: [
                { name: "owner", type: "address" },
                { name: "spender", type: "address" },
                { name: "value", type: "uint256" },
                { name: "nonce", type: "uint256" },
                { name: "deadline", type: "uint256" },
              ],
            },
            primaryType: "Permit",
            message: { owner: account, spender: deployment.contracts.Staking.address, value: assets, nonce, deadline },
          }),
        );
        const { r, s, v, yParity } = parseSignature(signature);
        await send("Stake with permit", "Staking", "addStakeWithPermit", [
          target,
          assets,
          deadline,
          Number(v ?? BigInt(27 + yParity)),
          r,
          s,
        ]);
      },
    );
  }

  if (error) return <p className="tx-failed">{error.message}</p>;
  if (!data) return <p>Loading validators…</p>;
  return (
    <section>
      <h1>Validators</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void stakeWithPermit();
        }}
      >
        <h2>Stake with permit</h2>
        <label>
          Hotkey{" "}
          <select name="hotkey" value={hotkey} onChange={(e) => setHotkey(e.target.value)}>
            {data.map((v) => (
              <option key={v.hotkey} value={v.hotkey}>
                {shortAddress(v.hotkey)} (take {v.takeBps / 100}%, subnets {v.subnets.join(", ")})
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Amount (TAO) <input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} size={10} />
        </label>{" "}
        <button type="submit" disabled={tx.busy}>
          Stake with permit
        </button>
        <p className="muted">One signature (an EIP-2612 permit) and one transaction, no separate approval.</p>
        <TxStatus state={tx.state} />
      </form>
      <table data-testid="validators">
        <thead>
          <tr>
            <th>hotkey</th>
            <th>permit</th>
            <th>subnets</th>
            <th>take</th>
            <th>total stake</th>
            <th>delegators</th>
            <th>recent dividends</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.map((v) => (
            <tr key={v.hotkey}>
              <td title={`${v.hotkey} (coldkey ${v.coldkey})`}>{shortAddress(v.hotkey)}</td>
              <td>{v.permit ? "✓" : ""}</td>
              <td>{v.subnets.join(", ")}</td>
              <td>{(v.takeBps / 100).toFixed(2)}%</td>
              <td>{tao(v.stake)} TAO</td>
              <td>{v.delegators}</td>
              <td>{tao(v.recentDividends)} TAO</td>
              <td>
                <button className="secondary" onClick={() => setHotkey(v.hotkey)}>
                  Choose
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
