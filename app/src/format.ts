import { formatEther } from "viem";

/** TAO (18 decimals) with at most `digits` fraction digits. */
export function tao(wei: bigint, digits = 4): string {
  const [whole, fraction = ""] = formatEther(wei).split(".");
  const trimmed = fraction.slice(0, digits).replace(/0+$/, "");
  return `${BigInt(whole!).toLocaleString("en-US")}${trimmed ? `.${trimmed}` : ""}`;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A u16 fraction (0..65535) as a percentage. */
export function u16Percent(value: number): string {
  return `${((value / 65535) * 100).toFixed(2)}%`;
}

/** A WAD fraction (1e18 = 1) as a percentage. */
export function wadPercent(value: bigint): string {
  return `${(Number((value * 10_000n) / 10n ** 18n) / 100).toFixed(2)}%`;
}

export function duration(seconds: number): string {
  if (seconds <= 0) return "now";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
