import { formatEther } from "viem";

/** TAO (18 decimals) for people: thousands separated, at most 4 decimals (rounded down). */
export function formatTao(wei: bigint): string {
  const [whole, fraction = ""] = formatEther(wei).split(".");
  const digits = fraction.slice(0, 4).replace(/0+$/, "");
  return `${BigInt(whole!).toLocaleString("en-US")}${digits ? `.${digits}` : ""}`;
}

/** A u16 fraction (65535 is one) as a decimal with 4 places. */
export function formatU16(value: number | bigint): string {
  return (Number(value) / 65535).toFixed(4);
}

/** A WAD fraction (1e18 is one) as a percentage. */
export function formatWadPercent(wad: bigint): string {
  return `${(Number(wad) / 1e16).toFixed(2)}%`;
}

/** Text columns padded to their widest cell; numbers (cells that look numeric) right-aligned. */
export function formatTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const names = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  if (rows.length === 0) return "(none)";
  const cells = rows.map((row) => names.map((name) => String(row[name] ?? "")));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((c) => c[i]!.length)));
  const numeric = names.map((_, i) => cells.every((c) => /^-?[\d,]+(\.\d+)?%?$|^$/.test(c[i]!)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(names), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** `Name: value` lines, the names aligned. */
export function formatFields(fields: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(fields).map((k) => k.length));
  return Object.entries(fields)
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${String(v)}`)
    .join("\n");
}
