import { duration, tao, wadPercent } from "../format.ts";
import { useChainQuery, type SubnetInfo } from "../taonet.tsx";

type Row = SubnetInfo & { share: bigint; nextEpochBlock: bigint };

/** Every active subnet: emission share, registration price, neurons and the blocks to its next epoch. */
export function Overview() {
  const { data, error } = useChainQuery(["overview"], async ({ read, client }) => {
    const [infos, lockCost, latest] = await Promise.all([
      read<SubnetInfo[]>("MetagraphLens", "subnetInfos"),
      read<bigint>("SubnetRegistry", "lockCost"),
      client.getBlock(),
    ]);
    const block = latest.number;
    // Seconds per block over the last 100 blocks (or as many as there are), for the countdowns.
    const span = block < 100n ? block : 100n;
    const earlier = span > 0n ? await client.getBlock({ blockNumber: block - span }) : latest;
    const blockSeconds = span > 0n ? Number(latest.timestamp - earlier.timestamp) / Number(span) : 0;
    const rows: Row[] = await Promise.all(
      infos.map(async (info) => ({
        ...info,
        share: await read<bigint>("YumaSettlement", "emissionShare", [info.netuid]),
        nextEpochBlock: await read<bigint>("YumaSettlement", "nextEpochBlock", [info.netuid]),
      })),
    );
    return { rows, lockCost, block, blockSeconds };
  });
  if (error) return <p className="tx-failed">{error.message}</p>;
  if (!data) return <p>Loading subnets…</p>;
  return (
    <section>
      <h1>Subnets</h1>
      <p className="muted">
        Block {data.block.toString()} · creating a subnet locks {tao(data.lockCost)} TAO now
      </p>
      <table data-testid="subnets">
        <thead>
          <tr>
            <th>netuid</th>
            <th>name</th>
            <th>emission share</th>
            <th>last epoch emission</th>
            <th>registration price</th>
            <th>neurons</th>
            <th>next epoch</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((s) => {
            const left = s.nextEpochBlock > data.block ? s.nextEpochBlock - data.block : 0n;
            return (
              <tr key={s.netuid.toString()}>
                <td>
                  <a href={`#/subnet/${s.netuid}`}>{s.netuid.toString()}</a>
                </td>
                <td>
                  <a href={`#/subnet/${s.netuid}`}>{s.metadata.name || "(unnamed)"}</a>
                </td>
                <td>{wadPercent(s.share)}</td>
                <td>{tao(s.subnet.lastEpochEmission)} TAO</td>
                <td>{tao(s.burnPrice)} TAO</td>
                <td>
                  {s.neuronCount.toString()} / {String(s.hyperparameters.maxAllowedUids)}
                </td>
                <td>
                  {left === 0n
                    ? "due now"
                    : `in ${left} blocks${data.blockSeconds > 0 ? ` (~${duration(Number(left) * data.blockSeconds)})` : ""}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
