/**
 * The guard's sequential test by simulation: how often it trips falsely on a healthy candidate, and how
 * many compared calls it needs to trip on a real regression. Mismatch-rate guard, limit 1%, alpha 1%,
 * reports of 100 calls (an SDK's few-second batch), each run watching up to 100,000 calls. Seeded, so the
 * figures in bench/RESULTS.md reproduce exactly.
 *
 * `cd bench && node --conditions=source --import tsx guard-simulation.ts`
 */
import { initialSprt, sprtStep } from "../server/src/guards/sprt.js";

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const config = { limit: 0.01, alpha: 0.01 };
const RUNS = 2_000;
const BATCH = 100;
const MAX_CALLS = 100_000;

function run(rate: number, rand: () => number): number | undefined {
  let state = initialSprt();
  for (let calls = 0; calls < MAX_CALLS; calls += BATCH) {
    let events = 0;
    for (let i = 0; i < BATCH; i++) if (rand() < rate) events++;
    const step = sprtStep(config, state, BATCH, events);
    state = step.state;
    if (step.tripped) return state.trials;
  }
  return undefined;
}

console.log("| true mismatch rate | runs tripped | median calls to trip | p95 calls to trip |");
console.log("| --- | --- | --- | --- |");
for (const rate of [0, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1]) {
  const rand = mulberry32(Math.round(rate * 1e6) + 1);
  const trips: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const at = run(rate, rand);
    if (at !== undefined) trips.push(at);
  }
  trips.sort((a, b) => a - b);
  const pct = (p: number) =>
    trips.length ? String(trips[Math.min(trips.length - 1, Math.floor(p * trips.length))]) : "—";
  console.log(
    `| ${(rate * 100).toFixed(2)}% | ${((trips.length / RUNS) * 100).toFixed(1)}% | ${pct(0.5)} | ${pct(0.95)} |`,
  );
}
