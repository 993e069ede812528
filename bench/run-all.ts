/**
 * `pnpm bench`: every benchmark, one after another, each in its own Node process so one's heap and JIT
 * state cannot colour the next. Figures are written up in bench/RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
const node = ["--expose-gc", "--conditions=source", "--import", "tsx"];

const scripts = [
  "core-evaluate.ts",
  "sdk-node-evaluate.ts",
  "browser-bundle-sizes.mjs",
  "server-bench.ts",
  "shadow-overhead.ts",
  "guard-simulation.ts",
  "admin-ui-overview.ts",
].filter((f) => existsSync(`${here}${f}`));

let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script} ===`);
  // Scripts that can, rewrite their table in bench/results/.
  const run = spawnSync(process.execPath, [...node, script, "--write"], { cwd: here, stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
