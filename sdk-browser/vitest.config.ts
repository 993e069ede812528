import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * Bundlers swap core's browser variants in (its package.json `browser` map: bucketing over TextEncoder, the
 * regex guard left to the server); vitest does not, so this plugin does, and the tests run what pages run.
 */
function coreBrowserMap(): Plugin {
  const core = fileURLToPath(new URL("../core/", import.meta.url));
  const map: Record<string, string> = JSON.parse(readFileSync(`${core}package.json`, "utf8")).browser;
  return {
    name: "core-browser-map",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer?.startsWith(core) || !source.startsWith(".")) return null;
      const to = map[`./${relative(core, resolve(dirname(importer), source))}`];
      return to ? resolve(core, to) : null;
    },
  };
}

/**
 * React 18's packages, taken from the package installed for this purpose (test/react18/package.json: there
 * react-dom 18 gets React 18 as its peer, which aliased react18/react-dom18 devDependencies would not).
 */
function react18Aliases() {
  const env = createRequire(import.meta.url).resolve("@switchyard/react18-test-env/package.json");
  const dir = (name: string) => dirname(createRequire(env).resolve(`${name}/package.json`));
  return ["@testing-library/react", "react-dom", "react"].map((name) => ({
    find: new RegExp(`^${name}(/.*)?$`),
    replacement: `${dir(name)}$1`,
  }));
}

export default defineConfig({
  plugins: [coreBrowserMap()],
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "sdk",
          provide: { reactMajor: 19 },
          include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
        },
      },
      {
        // The README promises React 18 and 19: the bindings' tests run again against React 18.
        extends: true,
        resolve: { alias: react18Aliases() },
        test: { name: "react18", provide: { reactMajor: 18 }, include: ["src/react/**/*.test.tsx"] },
      },
    ],
  },
});
