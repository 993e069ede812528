import { defineConfig } from "tsup";

export default defineConfig({
  entry: { main: "src/main.ts", index: "src/index.ts" },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  target: "node20",
  platform: "node",
  banner: { js: "" },
  esbuildOptions(options) {
    options.conditions = ["source"];
  },
});
