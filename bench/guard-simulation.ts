/**
 * The guards' sequential tests by simulation (server/src/guards/README.md): how often they trip falsely,
 * and how many calls they need to trip on a real regression. Reports of 100 calls (an SDK's few-second
 * batch), alpha 1%, seeded, so the figures in bench/RESULTS.md reproduce exactly. The guards' own step
 * function runs, as the server runs it on every report.
 *
 * `cd bench && node --conditions=source --import tsx guard-simulation.ts`
 */
import { freshTest, type GuardSettings, type GuardTest, stepTest } from "../server/src/guards/metrics.js";
import { COARSE_LATENCY_BUCKETS_MS, FINE_LATENCY_BUCKETS_MS } from "../server/src/shadow/latency-buckets.js";
import type { ShadowFlagInput } from "../server/src/shadow/schemas.js";
import { binomial, histogramOf, logNormal, seeded } from "../server/test/random.js";

const BATCH = 100;
const mismatchGuard: GuardSettings = { metric: "mismatch_rate", limit: 0.01, alpha: 0.01 };
const latencyGuard: GuardSettings = { metric: "latency_p95_ratio", limit: 1.5, alpha: 0.01 };

const report = (over: Partial<ShadowFlagInput>): ShadowFlagInput => ({
  calls: BATCH,
  shadowed: BATCH,
  matches: BATCH,
  mismatches: 0,
  candidateErrors: 0,
  controlErrors: 0,
  timeouts: 0,
  skipped: 0,
  controlLatency: [],
  candidateLatency: [],
  samples: [],
  ...over,
});

/** Steps a guard on generated reports; the calls seen when it trips, or undefined within `calls`. */
function watch(guard: GuardSettings, next: () => ShadowFlagInput, calls: number, start = freshTest()) {
  let test: GuardTest = start;
  for (let seen = BATCH; seen <= calls; seen += BATCH) {
    const step = stepTest(guard, test, next());
    test = step.test;
    if (step.tripped) return seen;
  }
  return undefined;
}

const mismatches = (rand: () => number, rate: number) => () => {
  const n = binomial(rand, BATCH, rate);
  return report({ matches: BATCH - n, mismatches: n });
};

const latencies = (rand: () => number, edges: readonly number[], ratio: number, sigma: number) => () =>
  report({
    controlLatency: histogramOf(edges, BATCH, () => logNormal(rand, 10, sigma)),
    candidateLatency: histogramOf(edges, BATCH, () => logNormal(rand, 10 * ratio, sigma)),
  });

/** The never-clamped SPRT the guards used before (H0 limit/2, H1 limit), for the comparison row. */
function previousTest(limit: number, alpha: number) {
  const [p0, p1] = [limit / 2, limit];
  let llr = 0;
  return (trials: number, events: number) => {
    llr += events * Math.log(p1 / p0) + (trials - events) * Math.log((1 - p1) / (1 - p0));
    return llr >= Math.log(1 / alpha);
  };
}

const fmt = (n: number | undefined) => (n === undefined ? "—" : n.toLocaleString("en-US"));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function runs(count: number, run: () => number | undefined) {
  const trips: number[] = [];
  for (let r = 0; r < count; r++) {
    const at = run();
    if (at !== undefined) trips.push(at);
  }
  trips.sort((a, b) => a - b);
  const q = (p: number) =>
    trips.length ? trips[Math.min(trips.length - 1, Math.floor(p * trips.length))] : undefined;
  return { tripped: trips.length / count, median: q(0.5), p95: q(0.95) };
}

const seedOf = (...xs: number[]) => xs.reduce((a, x) => a * 31 + Math.round(x * 1e4), 7) >>> 0;

console.log("## Rate guard: mismatch rate > 1% (2,000 runs, each up to 100,000 calls)\n");
console.log("| true mismatch rate | runs tripped | median calls to trip | p95 calls to trip |");
console.log("| --- | --- | --- | --- |");
for (const rate of [0, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.03, 0.05, 0.1]) {
  const rand = seeded(seedOf(rate));
  const r = runs(2_000, () => watch(mismatchGuard, mismatches(rand, rate), 100_000));
  const label = `${(rate * 100).toFixed(2)}%${rate === 0.01 ? " (limit)" : rate === 0.015 ? " (1.5× limit)" : ""}`;
  console.log(`| ${label} | ${pct(r.tripped)} | ${fmt(r.median)} | ${fmt(r.p95)} |`);
}

console.log(
  "\n## Rate guard: false trips over a long watch (500 runs, each 1,000,000 calls; bound alpha = 1%)\n",
);
console.log("| true mismatch rate | runs tripped within 1,000,000 calls |");
console.log("| --- | --- |");
for (const rate of [0.0075, 0.01]) {
  const rand = seeded(seedOf(rate, 1));
  const r = runs(500, () => watch(mismatchGuard, mismatches(rand, rate), 1_000_000));
  console.log(`| ${(rate * 100).toFixed(2)}%${rate === 0.01 ? " (limit)" : ""} | ${pct(r.tripped)} |`);
}

console.log("\n## After a long healthy run: 5% mismatches (500 runs)\n");
console.log("| history before the regression | test | median calls to trip | p95 calls to trip |");
console.log("| --- | --- | --- | --- |");
for (const healthyCalls of [0, 1_000_000]) {
  const rand = seeded(seedOf(healthyCalls));
  let healthy = freshTest();
  const previous = previousTest(0.01, 0.01);
  for (let seen = 0; seen < healthyCalls; seen += BATCH) {
    const r = mismatches(rand, 0.005)();
    healthy = stepTest(mismatchGuard, healthy, r).test;
    previous(BATCH, r.mismatches);
  }
  const history = healthyCalls ? `${fmt(healthyCalls)} calls at 0.5%` : "none";
  const now = runs(500, () => watch(mismatchGuard, mismatches(rand, 0.05), 1_000_000, healthy));
  console.log(`| ${history} | restarting CUSUM (now) | ${fmt(now.median)} | ${fmt(now.p95)} |`);
  // The previous test's state is one number, so one run from the shared history shows its delay.
  const before = previousTest(0.01, 0.01);
  for (let seen = 0; seen < healthyCalls; seen += BATCH) before(BATCH, binomial(rand, BATCH, 0.005));
  let calls = 0;
  while (!before(BATCH, binomial(rand, BATCH, 0.05))) calls += BATCH;
  console.log(`| ${history} | never-clamped SPRT (before), one run | ${fmt(calls + BATCH)} | |`);
}

console.log("\n## Latency guard: candidate p95 > 1.5 × control p95 (log-normal, control median 10 ms)\n");
console.log("| histogram | spread σ | candidate / control p95 | runs tripped | median calls | p95 calls |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const [scale, edges] of [
  ["fine (R20)", FINE_LATENCY_BUCKETS_MS],
  ["coarse", COARSE_LATENCY_BUCKETS_MS],
] as const) {
  for (const sigma of [0.25, 0.5]) {
    for (const ratio of [1, 1.25, 1.5, 1.75, 2, 3, 5]) {
      const rand = seeded(seedOf(ratio, sigma, edges.length));
      const r = runs(200, () => watch(latencyGuard, latencies(rand, edges, ratio, sigma), 100_000));
      const label = `${ratio}×${ratio === 1.5 ? " (limit)" : ""}`;
      console.log(
        `| ${scale} | ${sigma} | ${label} | ${pct(r.tripped)} | ${fmt(r.median)} | ${fmt(r.p95)} |`,
      );
    }
  }
}

console.log(
  "\n## Latency guard: false trips at exactly 1.5× over a long watch (100 runs, 1,000,000 calls)\n",
);
console.log("| histogram | spread σ | runs tripped within 1,000,000 calls |");
console.log("| --- | --- | --- |");
for (const sigma of [0.25, 0.5]) {
  const rand = seeded(seedOf(1.5, sigma, 2));
  const r = runs(100, () =>
    watch(latencyGuard, latencies(rand, FINE_LATENCY_BUCKETS_MS, 1.5, sigma), 1_000_000),
  );
  console.log(`| fine (R20) | ${sigma} | ${pct(r.tripped)} |`);
}
