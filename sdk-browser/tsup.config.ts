import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "react/index": "src/react/index.ts",
    "openfeature/index": "src/openfeature/index.ts",
    server: "src/server.ts",
  },
  format: ["esm"],
  target: "es2020",
  // A browser build: core's `browser` map applies (bucketing over TextEncoder, no regex guard in the page).
  platform: "browser",
  dts: true,
  clean: true,
  splitting: true,
  treeshake: true,
  // The evaluator ships inside the SDK: one install, one bundle, no version skew with the page.
  noExternal: ["@switchyard/core"],
  external: ["react", "@openfeature/web-sdk"],
  esbuildOptions(options) {
    options.conditions = ["source"];
  },
});
