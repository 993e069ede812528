import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Where `pnpm start` listens (server/src/config.ts: PORT defaults to 4000). */
const server = process.env.SWITCHYARD_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`;

export default defineConfig({
  plugins: [react()],
  // Workspace packages export their TypeScript sources under the `source` condition. No `browser` field:
  // core's browser map swaps in modules that trust server-vetted rulesets (no regex guard, shorter checks)
  // for the browser SDK; the preview here compiles unsaved edits and needs the full evaluator.
  resolve: { conditions: ["source"], mainFields: ["module", "jsonValue", "main"] },
  server: {
    proxy: {
      "/api": server,
      "/sdk": server,
      "/ofrep": server,
      "/healthz": server,
    },
  },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
});
