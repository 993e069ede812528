/**
 * ns per evaluate() returning the full decision: a flag on for all, a pilot hit in a 10,000-key segment,
 * and the fall-through to a 20% rollout (one hash), in rulesets of 1,000 and 100,000 flags; then the
 * compile time and retained heap of a 10,000-flag ruleset.
 *   cd bench && node --expose-gc --conditions=source --import tsx core-evaluate.ts
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compileRuleset, evaluate } from "@switchyard/core";
import { bench, do_not_optimize, run, summary } from "mitata";
import { benchRuleset, pilotContexts, rolloutContexts } from "./fixtures/rulesets.js";

/**
 * Each ruleset size runs in its own process: in one process, whichever size runs second measured up to 1.7×
 * slower on the pilot hit (the JIT had specialised `evaluate` on the first ruleset's compiled closures, and
 * the first ruleset's heap stayed alive), which made the 1,000 vs 100,000 comparison an artefact of order.
 */
const SIZES = [1_000, 100_000];
const only = Number(process.env.BENCH_FLAGS ?? 0);
if (!only) {
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_FLAGS: String(size) },
      stdio: "inherit",
    });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}

function compiled(flags: number) {
  const result = compileRuleset(benchRuleset(flags));
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

for (const size of only ? [only] : []) {
  const ruleset = compiled(size);
  const label = size.toLocaleString("en");
  let i = 0;
  summary(() => {
    bench(`simple flag, ${label} flags`, () => {
      do_not_optimize(evaluate(ruleset, "simple", rolloutContexts[i++ & 1023], false));
    });
    bench(`pilot hit (10k segment), ${label} flags`, () => {
      do_not_optimize(evaluate(ruleset, "checkout", pilotContexts[i++ & 1023], false));
    });
    bench(`rollout fall-through, ${label} flags`, () => {
      do_not_optimize(evaluate(ruleset, "checkout", rolloutContexts[i++ & 1023], false));
    });
  });
}

const results = only ? await run({ format: "quiet" }) : { benchmarks: [] };
if (only)
  console.log(`\nmedian ns per evaluation (p50), p99 — ruleset of ${only.toLocaleString("en")} flags:`);
for (const b of results.benchmarks) {
  const stats = b.runs[0]?.stats;
  if (stats)
    console.log(
      `  ${b.alias.padEnd(42)} ${stats.p50.toFixed(1).padStart(8)} ns   p99 ${stats.p99.toFixed(1)} ns`,
    );
}

if (only) process.exit(0);
const gc = (globalThis as { gc?: () => void }).gc;
const source = benchRuleset(10_000);
gc?.();
const before = process.memoryUsage().heapUsed;
const started = performance.now();
const held = compileRuleset(source);
const ms = performance.now() - started;
gc?.();
const heap = process.memoryUsage().heapUsed - before;
console.log(
  `\ncompile 10,000 flags: ${ms.toFixed(1)} ms; retained heap of the compiled ruleset: ${(heap / 1024 / 1024).toFixed(1)} MB${gc ? "" : " (run with --expose-gc for an exact figure)"}`,
);
if (!held.ok) throw new Error("compile failed");
