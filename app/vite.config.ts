import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// base "./": the built files refer to each other relatively, so dist/ works under any path of a
// static host; the deployment (chain, RPC, addresses, ABIs) is read at run time from
// ./deployment.json beside index.html.
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [react()],
  build: { outDir: path.join(import.meta.dirname, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
