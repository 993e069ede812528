import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Where `pnpm start` listens (server/src/config.ts: PORT defaults to 4000). */
const server = process.env.SWITCHYARD_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`;

export default defineConfig({
  plugins: [react()],
  // Workspace packages export their TypeScript sources under the `source` condition.
  resolve: { conditions: ["source"] },
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
