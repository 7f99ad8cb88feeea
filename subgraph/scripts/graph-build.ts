import { execFileSync } from "node:child_process";
import path from "node:path";
import { REPO_DIR, SUBGRAPH_DIR } from "./manifest.ts";

export interface GraphBuildParameters {
  /** The manifest, relative to subgraph/. */
  manifest: string;
  /** graph build's output folder, relative to subgraph/. */
  outputDir: string;
  /** Print graph-cli's progress (else it is returned). */
  quiet?: boolean;
}

/** `graph codegen` (into subgraph/generated) then `graph build` of a manifest. */
export function graphBuild({ manifest, outputDir, quiet = false }: GraphBuildParameters) {
  const graph = path.join(REPO_DIR, "node_modules/.bin/graph");
  const stdio = quiet ? "pipe" : "inherit";
  execFileSync(graph, ["codegen", manifest, "--output-dir", "generated"], { cwd: SUBGRAPH_DIR, stdio });
  execFileSync(graph, ["build", manifest, "--output-dir", outputDir], { cwd: SUBGRAPH_DIR, stdio });
  return path.join(SUBGRAPH_DIR, outputDir);
}
