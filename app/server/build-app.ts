import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const APP_DIR = path.resolve(import.meta.dirname, "..");
export const DIST_DIR = path.join(APP_DIR, "dist");

/** The newest modification time under `dir` (files only), 0 when it does not exist. */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * Builds the dApp with Vite into `outDir` (default `app/dist`) unless that build is newer than
 * every source file (`force` builds anyway). Returns whether it built. Tests build into their own
 * directory, so that they never race a devnet building `app/dist`.
 */
export async function buildApp({
  force = false,
  outDir = DIST_DIR,
}: { force?: boolean; outDir?: string } = {}): Promise<boolean> {
  const built = existsSync(path.join(outDir, "index.html")) ? newest(outDir) : 0;
  const sources = Math.max(
    newest(path.join(APP_DIR, "src")),
    statSync(path.join(APP_DIR, "index.html")).mtimeMs,
    statSync(path.join(APP_DIR, "vite.config.ts")).mtimeMs,
  );
  if (!force && built > sources) return false;
  const { build } = await import("vite");
  await build({
    configFile: path.join(APP_DIR, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return true;
}
