import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "openfeature/index": "src/openfeature/index.ts" },
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  // The evaluator ships inside the SDK: one install, no version skew between SDK and evaluator.
  noExternal: ["@switchyard/core"],
  external: ["@openfeature/server-sdk"],
  esbuildOptions(options) {
    options.conditions = ["source"];
  },
});
