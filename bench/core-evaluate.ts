/**
 * ns per evaluate() returning the full decision: a flag on for all, a pilot hit in a 10,000-key segment,
 * and the fall-through to a 20% rollout (one hash), in rulesets of 1,000 and 100,000 flags; then the
 * compile time and retained heap of a 10,000-flag ruleset.
 *   cd bench && node --expose-gc --conditions=source --import tsx core-evaluate.ts
 */
import { compileRuleset, evaluate } from "@switchyard/core";
import { bench, do_not_optimize, run, summary } from "mitata";
import { benchRuleset, pilotContexts, rolloutContexts } from "./fixtures/rulesets.js";

function compiled(flags: number) {
  const result = compileRuleset(benchRuleset(flags));
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

for (const size of [1_000, 100_000]) {
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

const results = await run({ format: "quiet" });
console.log("\nmedian ns per evaluation (p50), p99:");
for (const b of results.benchmarks) {
  const stats = b.runs[0]?.stats;
  if (stats)
    console.log(
      `  ${b.alias.padEnd(42)} ${stats.p50.toFixed(1).padStart(8)} ns   p99 ${stats.p99.toFixed(1)} ns`,
    );
}

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
