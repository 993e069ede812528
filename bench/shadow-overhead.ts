/**
 * The cost `client.shadow` adds on top of calling the control directly: on a call the rule does not sample
 * (target ≤ 300 ns), and on a sampled call, excluding the candidate's own work (target ≤ 2 µs).
 *   cd bench && node --conditions=source --import tsx shadow-overhead.ts
 */
import type { Ruleset } from "@switchyard/core";
import { createClient } from "@switchyard/sdk-node";
import { bench, do_not_optimize, run, summary } from "mitata";

const variations = [
  { key: "old", value: false },
  { key: "new", value: true },
];
const flag = (key: string, sampleRate: number) => ({
  key,
  kind: "boolean" as const,
  variations,
  version: 1,
  salt: key,
  on: true,
  offVariation: "old",
  fallthrough: { variation: "old" },
  shadow: { sampleRate, stickiness: "call" as const, timeoutMs: 1000, candidateVariation: "new" },
});
const bootstrap: Ruleset = {
  formatVersion: 1,
  environment: "bench",
  version: 1,
  flags: [flag("quiet", 0), flag("sampled", 100_000)],
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

const contexts = Array.from({ length: 1024 }, (_, i) => ({ targetingKey: `user-${i}` }));
const control = async () => 42;
const candidate = async () => 42;
let i = 0;

summary(() => {
  bench("control called directly", async () => {
    do_not_optimize(await control());
  });
  bench("client.shadow, call not sampled", async () => {
    do_not_optimize(await client.shadow("quiet", contexts[i++ & 1023], { control, candidate }));
  });
  bench("client.shadow, call sampled (candidate runs beside)", async () => {
    do_not_optimize(await client.shadow("sampled", contexts[i++ & 1023], { control, candidate }));
  });
});

const results = await run({ format: "quiet" });
const p50 = (name: string) =>
  results.benchmarks.find((b) => b.alias === name)?.runs[0]?.stats?.p50 ?? Number.NaN;
const direct = p50("control called directly");
const quiet = p50("client.shadow, call not sampled") - direct;
const sampled = p50("client.shadow, call sampled (candidate runs beside)") - direct;
console.log(`control called directly: ${direct.toFixed(0)} ns (median)`);
console.log(
  `overhead, not sampled: ${quiet.toFixed(0)} ns (target ≤ 300 ns) — ${quiet <= 300 ? "met" : "not met"}`,
);
console.log(
  `overhead, sampled: ${sampled.toFixed(0)} ns (target ≤ 2,000 ns) — ${sampled <= 2000 ? "met" : "not met"}`,
);
await client.close();
