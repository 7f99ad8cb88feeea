import { useState } from "react";
import { EpochChart, type EpochPoint } from "../EpochChart.tsx";
import { shortAddress, tao, u16Percent } from "../format.ts";
import { useChainQuery, type NeuronInfo, type SubnetInfo } from "../taonet.tsx";
import { epochOutputs, type EpochOutputsArgs } from "../../../workers/shared/epoch-outputs.ts";

type Row = NeuronInfo & { incentive: number; dividends: number; emission: bigint };
type SortKey = "uid" | "stake" | "incentive" | "dividends" | "emission" | "validatorPermit";

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "uid", label: "uid" },
  { key: "stake", label: "stake" },
  { key: "incentive", label: "incentive" },
  { key: "dividends", label: "dividends" },
  { key: "emission", label: "emission (last epoch)" },
  { key: "validatorPermit", label: "permit" },
];

/** A subnet: its metagraph with the last epoch's outputs, hyperparameters and the epochs' chart. */
export function SubnetPage({ netuid }: { netuid: bigint }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "uid", descending: false });
  const { data, error } = useChainQuery(["subnet", netuid], async ({ read, client, deployment }) => {
    const [info, [neurons], nextEpochBlock, block, settled, outputs] = await Promise.all([
      read<SubnetInfo>("MetagraphLens", "subnetInfo", [netuid]),
      read<[NeuronInfo[], bigint]>("MetagraphLens", "metagraph", [netuid, 0n, 2n ** 256n - 1n]),
      read<bigint>("YumaSettlement", "nextEpochBlock", [netuid]),
      client.getBlockNumber(),
      client.getContractEvents({
        ...deployment.contracts.YumaSettlement,
        eventName: "EpochSettled",
        args: { netuid },
        fromBlock: BigInt(deployment.fromBlock ?? 0),
      }),
      client.getContractEvents({
        ...deployment.contracts.YumaSettlement,
        eventName: "EpochOutputs",
        args: { netuid },
        fromBlock: BigInt(deployment.fromBlock ?? 0),
      }),
    ]);
    const epochs = outputs.map((log) => epochOutputs((log as unknown as { args: EpochOutputsArgs }).args));
    const emissionOf = new Map(
      settled.map((log) => {
        const args = (log as unknown as { args: { epochIndex: bigint; emission: bigint } }).args;
        return [args.epochIndex, args.emission];
      }),
    );
    const points: EpochPoint[] = epochs.slice(-30).map((e) => ({
      epoch: Number(e.epochIndex),
      emission: emissionOf.get(e.epochIndex) ?? 0n,
      dividends: e.validatorEmission.reduce((a, b) => a + b, 0n),
    }));
    const last = epochs.at(-1);
    const rows: Row[] = neurons.map((n) => {
      const i = Number(n.uid);
      return {
        ...n,
        incentive: last?.incentive[i] ?? 0,
        dividends: last?.dividends[i] ?? 0,
        emission: (last?.minerEmission[i] ?? 0n) + (last?.validatorEmission[i] ?? 0n),
      };
    });
    return { info, rows, points, nextEpochBlock, block, lastEpoch: last?.epochIndex };
  });
  if (error) return <p className="tx-failed">{error.message}</p>;
  if (!data) return <p>Loading subnet {netuid.toString()}…</p>;
  const { info } = data;
  const value = (r: Row): number | bigint | boolean => r[sort.key];
  const rows = [...data.rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return sort.descending ? -order : order;
  });
  const left = data.nextEpochBlock > data.block ? data.nextEpochBlock - data.block : 0n;
  return (
    <section>
      <h1>
        Subnet {netuid.toString()}: {info.metadata.name || "(unnamed)"}
      </h1>
      <p className="muted">
        Owner {info.subnet.owner} · locked {tao(info.subnet.lockedAmount)} TAO · registration {tao(info.burnPrice)} TAO
        · {info.neuronCount.toString()} neurons · next epoch {left === 0n ? "due now" : `in ${left} blocks`}
        {data.lastEpoch !== undefined && ` · last settled epoch ${data.lastEpoch}`}
      </p>
      {info.metadata.description && <p>{info.metadata.description}</p>}
      <h2>Emission and dividends over epochs</h2>
      <EpochChart points={data.points} />
      <h2>Metagraph</h2>
      <table data-testid="metagraph">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                className="sortable"
                onClick={() =>
                  setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.key !== "uid" }))
                }
              >
                {c.label}
                {sort.key === c.key ? (sort.descending ? " ▼" : " ▲") : ""}
              </th>
            ))}
            <th>hotkey</th>
            <th>coldkey</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.uid.toString()}>
              <td>{r.uid.toString()}</td>
              <td>{tao(r.stake)}</td>
              <td>{u16Percent(r.incentive)}</td>
              <td>{u16Percent(r.dividends)}</td>
              <td>{tao(r.emission)}</td>
              <td>{r.validatorPermit ? "✓" : ""}</td>
              <td title={r.hotkey}>
                {shortAddress(r.hotkey)}
                {r.immune ? " (immune)" : ""}
              </td>
              <td title={r.coldkey}>{shortAddress(r.coldkey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Hyperparameters</h2>
      <dl className="hyperparameters">
        {Object.entries(info.hyperparameters).map(([name, v]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
