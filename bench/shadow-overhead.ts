/**
 * The cost `client.shadow` adds on top of calling the control directly, in the realistic cases:
 * - not sampled (target ≤ 300 ns): per-user sampling at 1%, for users outside the sample — so the user's
 *   bucket is hashed, as in production, rather than a 0% rate returning before it;
 * - sampled, excluding the candidate's own work (target ≤ 2 µs): every call shadowed and awaited, and each
 *   iteration then yields one turn of the event loop, so the candidates' deferred starts, the comparisons
 *   and the recording happen inside the timed part; the baseline awaits and yields the same way.
 * Control and candidate are trivial async functions, so what is left is the SDK's own cost. Two lines split
 * the not-sampled figure: core's sampling decision timed alone, and the same call at a 0% rate (core then
 * decides without hashing), which is the SDK's own part.
 *   cd bench && node --conditions=source --import tsx shadow-overhead.ts [--write]
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { Ruleset, ShadowRule } from "@switchyard/core";
import { createClient } from "@switchyard/sdk-node";
import { bench, do_not_optimize, run, summary } from "mitata";

const variations = [
  { key: "old", value: false },
  { key: "new", value: true },
];
const flag = (key: string, shadow: ShadowRule) => ({
  key,
  kind: "boolean" as const,
  variations,
  version: 1,
  salt: key,
  on: true,
  offVariation: "old",
  fallthrough: { variation: "old" },
  shadow,
});
const bootstrap: Ruleset = {
  formatVersion: 1,
  environment: "bench",
  version: 1,
  flags: [
    flag("one-percent", {
      sampleRate: 1_000,
      stickiness: "user",
      timeoutMs: 1000,
      candidateVariation: "new",
    }),
    flag("everything", {
      sampleRate: 100_000,
      stickiness: "call",
      timeoutMs: 1000,
      candidateVariation: "new",
    }),
    flag("never", { sampleRate: 0, stickiness: "user", timeoutMs: 1000, candidateVariation: "new" }),
  ],
  segments: [],
};
// Large bulkhead: the sampled case must measure a sampled run, not a skip.
const client = createClient({
  url: "http://127.0.0.1:9",
  sdkKey: "bench",
  offline: true,
  sendMetrics: false,
  bootstrap,
  shadow: { maxConcurrentPerFlag: 1_000_000 },
});

const users = Array.from({ length: 200_000 }, (_, i) => ({ targetingKey: `user-${i}` }));
/** 1,024 users the 1% rule does not sample (the sampled 1% are the next case's subject). */
const outside = users.filter((u) => !client.isShadowed("one-percent", u, 0)).slice(0, 1024);
const contexts = users.slice(0, 1024);
const control = async () => 42;
const candidate = async () => 42;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
let i = 0;
/**
 * Sampled calls per event-loop turn: each call is awaited, and the turn that follows runs their deferred
 * starts, comparisons and recordings; the turn's own cost, the noisiest part on a shared machine, is
 * shared by the batch (and subtracted with the baseline, which awaits as many controls and the same turn).
 */
const BATCH = 16;

const CASES = {
  direct: "control called directly",
  quiet: "client.shadow, user outside a 1% per-user sample",
  decide: "of which core's sampling decision (shouldShadow) alone",
  never: "client.shadow, 0% rate (core decides without hashing the user)",
  directYield: "16 controls called directly, then one event-loop turn",
  sampled: "16 client.shadow calls, sampled (candidates run beside), then one event-loop turn",
};

summary(() => {
  bench(CASES.direct, async () => {
    do_not_optimize(await control());
  });
  bench(CASES.quiet, async () => {
    do_not_optimize(await client.shadow("one-percent", outside[i++ & 1023], { control, candidate }));
  });
  bench(CASES.never, async () => {
    do_not_optimize(await client.shadow("never", outside[i++ & 1023], { control, candidate }));
  });
});
bench(CASES.decide, () => {
  do_not_optimize(client.isShadowed("one-percent", outside[i++ & 1023], 0));
});
summary(() => {
  bench(CASES.directYield, async () => {
    for (let n = 0; n < BATCH; n++) do_not_optimize(await control());
    await nextTurn();
  });
  bench(CASES.sampled, async () => {
    for (let n = 0; n < BATCH; n++)
      do_not_optimize(await client.shadow("everything", contexts[i++ & 1023], { control, candidate }));
    await nextTurn();
  });
});

const results = await run({ format: "quiet" });
const p50 = (name: string) =>
  results.benchmarks.find((b) => b.alias === name)?.runs[0]?.stats?.p50 ?? Number.NaN;
const direct = p50(CASES.direct);
const directYield = p50(CASES.directYield);
const quiet = p50(CASES.quiet) - direct;
const sampled = (p50(CASES.sampled) - directYield) / BATCH;
const decide = p50(CASES.decide);
const never = p50(CASES.never) - direct;
const stats = client.takeShadowStats().everything;
await client.close();

const verdict = (value: number, target: number) => (value <= target ? "met" : "not met");
const ns = (value: number) => `${Math.round(value).toLocaleString("en")} ns`;
console.log(
  `control called directly: ${ns(direct)}; ${BATCH} of them and one event-loop turn: ${ns(directYield)} (medians)`,
);
console.log(`overhead, not sampled: ${ns(quiet)} (target ≤ 300 ns) — ${verdict(quiet, 300)}`);
console.log(`  of which core's shouldShadow for the user: ${ns(decide)}`);
console.log(`  the same call at a 0% rate (no hashing): ${ns(never)}`);
console.log(`overhead, sampled: ${ns(sampled)} (target ≤ 2,000 ns) — ${verdict(sampled, 2000)}`);
// The sampled runs really ran and were compared (not skipped, not still pending).
console.log(
  `sampled runs: ${stats?.shadowed} shadowed, ${stats?.matches} matched, ${stats?.skipped} skipped`,
);

if (process.argv.includes("--write")) {
  const rows = [
    ["control called directly (baseline of the not-sampled case)", ns(direct), "—", "—"],
    ["shadow() overhead, user outside a 1% per-user sample", ns(quiet), "≤ 300 ns", verdict(quiet, 300)],
    ["… of which core's sampling decision (`shouldShadow`, hashing the user) alone", ns(decide), "—", "—"],
    ["… the same call at a 0% rate: the SDK's part, core deciding without hashing", ns(never), "—", "—"],
    [`${BATCH} controls, then one event-loop turn (baseline of the sampled case)`, ns(directYield), "—", "—"],
    [
      "shadow() overhead, sampled call with start, compare and recording timed, trivial candidate",
      ns(sampled),
      "≤ 2,000 ns",
      verdict(sampled, 2000),
    ],
  ];
  const table = rows.map((r) => `| ${r.join(" | ")} |`).join("\n");
  writeFileSync(
    new URL("results/shadow.md", import.meta.url),
    `# shadow() overhead (sdk-node/src/shadow)

Command: \`cd bench && node --conditions=source --import tsx shadow-overhead.ts --write\` (mitata, medians;
${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}).

Not sampled: the flag samples 1% of users (per-user stickiness), measured for users outside the sample, so
the user's bucket is hashed as in production. Sampled: every call shadowed and awaited, ${BATCH} per iteration,
then one turn of the event loop, so the candidates' deferred starts, the comparisons and the recording are
inside the timed part; the baseline awaits as many controls and the same turn, and the difference is
divided by ${BATCH}. Control and candidate are trivial async functions.

| measure | median | target | verdict |
| --- | --- | --- | --- |
${table}

Sampled runs during the measurement: ${stats?.shadowed} shadowed, ${stats?.matches} matched, ${stats?.skipped} skipped.
The machine is shared with other jobs; figures move by tens of percent between runs.
`,
  );
}
