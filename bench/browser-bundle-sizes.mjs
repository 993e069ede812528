#!/usr/bin/env node
/**
 * Browser SDK bundle sizes, side by side: each SDK's client entry bundled the same way (esbuild, minified ESM,
 * platform browser, es2020, every package's ESM build, everything bundled except React), then gzipped (level 9).
 * Writes bench/results/sdk-browser.md.   Run: `node bench/browser-bundle-sizes.mjs` (from the repo root).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const sdk = fileURLToPath(new URL("../sdk-browser/src/", import.meta.url));

const entries = [
  {
    name: "Switchyard `@switchyard/sdk-browser` (local evaluation, evaluator included)",
    code: `export { createBrowserClient } from ${JSON.stringify(`${sdk}index.ts`)};`,
  },
  {
    name: "Switchyard client + React bindings",
    code: `export { createBrowserClient } from ${JSON.stringify(`${sdk}index.ts`)}; export * from ${JSON.stringify(`${sdk}react/index.ts`)};`,
  },
  {
    name: "`unleash-proxy-client` (remote evaluation only)",
    code: `export { UnleashClient } from "unleash-proxy-client";`,
  },
  { name: "`@growthbook/growthbook`", code: `export { GrowthBook } from "@growthbook/growthbook";` },
  {
    name: "`@openfeature/web-sdk` + `@openfeature/ofrep-web-provider`",
    code: `export { OpenFeature } from "@openfeature/web-sdk"; export { OFREPWebProvider } from "@openfeature/ofrep-web-provider";`,
  },
  { name: "`launchdarkly-js-client-sdk`", code: `export { initialize } from "launchdarkly-js-client-sdk";` },
];

async function measure(code) {
  const out = await build({
    stdin: { contents: code, resolveDir: here, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    // Setting `conditions` drops esbuild's implicit `module`; without it a package whose exports list
    // `module` before `import` (the OFREP provider) resolves its CommonJS build, which then pulls the
    // CommonJS web-sdk and core next to the ESM ones: everything twice. Ask for ESM as a bundler would.
    conditions: ["source", "module"],
    mainFields: ["browser", "module", "main"],
    external: ["react", "react-dom"],
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const bytes = out.outputFiles[0].contents;
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    commonJs: Object.entries(out.metafile.inputs)
      .filter(([path, input]) => input.format === "cjs" && path.includes("node_modules/"))
      .map(([path]) => path.replace(/.*node_modules\//, "")),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
let failed = false;
for (const e of entries) {
  try {
    const { min, gzip, commonJs } = await measure(e.code);
    rows.push(`| ${e.name} | ${kb(min)} | ${kb(gzip)} |`);
    console.log(`${kb(gzip).padStart(9)} gzip  ${kb(min).padStart(9)} min  ${e.name}`);
    // A CommonJS module in the bundle is a sign of a package bundled twice (see `conditions` above).
    if (commonJs.length) console.warn(`  bundled as CommonJS: ${commonJs.join(", ")}`);
  } catch (error) {
    failed = true;
    rows.push(`| ${e.name} | does not build | — |`);
    console.error(`${e.name}: ${error.message.split("\n")[0]}`);
  }
}

const versions = [
  "unleash-proxy-client",
  "@growthbook/growthbook",
  "@openfeature/web-sdk",
  "@openfeature/ofrep-web-provider",
  "launchdarkly-js-client-sdk",
]
  .map(
    (p) =>
      `${p} ${JSON.parse(readFileSync(new URL(`node_modules/${p}/package.json`, import.meta.url), "utf8")).version}`,
  )
  .join(", ");

mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("results/sdk-browser.md", import.meta.url),
  `# Browser SDK bundle sizes

Command: \`node bench/browser-bundle-sizes.mjs\` (from the repo root). Each SDK's client entry bundled with
esbuild the same way (\`--bundle --minify --format=esm --platform=browser --target=es2020\`, every package's
ESM build via the \`module\` condition so each is bundled once, React external), gzip level 9. Generated ${new Date().toISOString().slice(0, 10)}; peers: ${versions}.

| SDK | minified | gzip |
|---|---:|---:|
${rows.join("\n")}

Budgets (checked in CI by \`pnpm --filter @switchyard/sdk-browser size\`): client ≤ 6 KB gzip, React bindings ≤ 2 KB
gzip on top. Only Switchyard and GrowthBook evaluate rules in the page; unleash-proxy-client and the OFREP provider
fetch evaluated values; LaunchDarkly's client SDK fetches evaluated values too.
`,
);
process.exit(failed ? 1 : 0);
