import { tao } from "./format.ts";

export type EpochPoint = { epoch: number; emission: bigint; dividends: bigint };

const WIDTH = 640;
const HEIGHT = 200;
const PAD = 36;

/** Emission and validators' dividends per settled epoch, as two lines of one SVG chart. */
export function EpochChart({ points }: { points: EpochPoint[] }) {
  if (points.length === 0) return <p className="muted">No settled epoch yet.</p>;
  const max = points.reduce((m, p) => (p.emission > m ? p.emission : m), 1n);
  const x = (i: number) => PAD + (points.length === 1 ? 0 : (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (v: bigint) => HEIGHT - PAD - (Number((v * 10_000n) / max) / 10_000) * (HEIGHT - 2 * PAD);
  const line = (pick: (p: EpochPoint) => bigint) => points.map((p, i) => `${x(i)},${y(pick(p))}`).join(" ");
  return (
    <figure className="chart" data-testid="epoch-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img">
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="#999" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={HEIGHT - PAD} stroke="#999" />
        <text x={2} y={PAD} fontSize="10">
          {tao(max, 2)}
        </text>
        <text x={PAD} y={HEIGHT - 8} fontSize="10">
          epoch {points[0]!.epoch}
        </text>
        <text x={WIDTH - PAD} y={HEIGHT - 8} fontSize="10" textAnchor="end">
          epoch {points.at(-1)!.epoch}
        </text>
        <polyline points={line((p) => p.emission)} fill="none" stroke="#2563eb" strokeWidth="2" />
        <polyline points={line((p) => p.dividends)} fill="none" stroke="#16a34a" strokeWidth="2" />
        {points.map((p, i) => (
          <circle key={p.epoch} cx={x(i)} cy={y(p.emission)} r="2.5" fill="#2563eb" />
        ))}
      </svg>
      <figcaption>
        <span style={{ color: "#2563eb" }}>■</span> emission (TAO) <span style={{ color: "#16a34a" }}>■</span>{" "}
        validators' dividends (TAO)
      </figcaption>
    </figure>
  );
}
