import { defineConfig } from "tsup";

/** A production build: `node dist/main.js` runs the server without tsx. Dependencies stay external. */
export default defineConfig({
  entry: { main: "src/main.ts", server: "src/server.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  dts: false,
});
