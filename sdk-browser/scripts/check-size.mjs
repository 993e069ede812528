#!/usr/bin/env node
import { fileURLToPath } from "node:url";
/**
 * Bundle budget: the core browser client (ESM, minified, evaluator included) and the React bindings on top,
 * bundled the way an app bundler would (esbuild, `source` condition, react external), then gzipped.
 * Prints the sizes and exits 1 when a budget is exceeded.  Usage: `pnpm --filter @switchyard/sdk-browser size`
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
// The client's target is 6 KB (issue 5) and is not met yet: the limit below is today's size (6.90 KB, 7,062 B:
// the SDK and the browser variants reached 6.34 KB, issue 2's evaluator work added 0.9 KB, core's browser
// variants took 0.34 KB back, a third pass dropped server-only members) with ~50 B of room, a guard against
// growth while what is left (compile, operators and evaluate, shared with the server) is slimmed down
// (see bench/RESULTS.md).
const CLIENT_TARGET = 6 * 1024;
const budgets = [
  { name: "client (src/index.ts)", entry: "src/index.ts", limit: 6.95 * 1024, target: CLIENT_TARGET },
  { name: "react bindings (src/react/index.ts)", entry: "src/react/index.ts", limit: 2 * 1024 },
];

/** Minified ESM bundle of one entry; returns its raw and gzip sizes. */
export async function measure(entry, external = ["react", "react-dom", "@openfeature/web-sdk"]) {
  const out = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    conditions: ["source"],
    external,
    write: false,
    logLevel: "error",
  });
  const code = out.outputFiles[0].contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** A budget in KB as written above (7.5, not a rounded 8). */
const kb = (bytes) => String(bytes / 1024);

if (import.meta.url === `file://${process.argv[1]}`) {
  let over = false;
  for (const b of budgets) {
    const { raw, gzip } = await measure(b.entry);
    const ok = gzip <= b.limit;
    over ||= !ok;
    const target = b.target && gzip > b.target ? `; target ${kb(b.target)} KB not met` : "";
    console.log(
      `${ok ? "ok  " : "OVER"} ${b.name}: ${(raw / 1024).toFixed(2)} KB min, ${(gzip / 1024).toFixed(2)} KB gzip (limit ${kb(b.limit)} KB${target})`,
    );
  }
  process.exit(over ? 1 : 0);
}
