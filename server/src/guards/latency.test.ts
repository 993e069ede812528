import { describe, expect, it } from "vitest";
import { histogramOf, logNormal, seeded } from "../../test/random.js";
import { COARSE_LATENCY_BUCKETS_MS, FINE_LATENCY_BUCKETS_MS } from "../shadow/latency-buckets.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { HORIZON_TRIALS, RESTART_TRIALS } from "./cusum.js";
import { tailsOf } from "./latency.js";
import { freshTest, type GuardTest, stepTest } from "./metrics.js";

const guard = { metric: "latency_p95_ratio" as const, limit: 1.5, alpha: 0.01 };
const BATCH = 100;

const report = (controlLatency: number[], candidateLatency: number[]): ShadowFlagInput => ({
  calls: BATCH,
  shadowed: BATCH,
  matches: BATCH,
  mismatches: 0,
  candidateErrors: 0,
  controlErrors: 0,
  timeouts: 0,
  skipped: 0,
  controlLatency,
  candidateLatency,
  samples: [],
});

/** Reports of 100 calls per path drawn from `control` and `candidate` (ms); calls seen at the trip. */
function watch(
  edges: readonly number[],
  calls: number,
  control: () => number,
  candidate: () => number,
  start: GuardTest = freshTest(),
) {
  let test = start;
  for (let seen = BATCH; seen <= calls; seen += BATCH) {
    const step = stepTest(
      guard,
      test,
      report(histogramOf(edges, BATCH, control), histogramOf(edges, BATCH, candidate)),
    );
    test = step.test;
    if (step.tripped) return { seen, test };
  }
  return { seen: undefined, test };
}
const at = (ms: number) => () => ms;

describe("what a histogram says about the calls above a latency", () => {
  it("counts a bucket straddling it as 'may be above', never as 'surely above'", () => {
    const fine = histogramOf(FINE_LATENCY_BUCKETS_MS, 10, at(11)); // (10, 11.2]
    expect(tailsOf(fine)).toMatchObject({ calls: 10 });
    expect(tailsOf(fine).mayBeAbove(10.5)).toBe(10);
    expect(tailsOf(fine).surelyAbove(10.5)).toBe(0);
    expect(tailsOf(fine).surelyAbove(10)).toBe(10);
    expect(tailsOf(fine).mayBeAbove(11.2)).toBe(0);
    const coarse = histogramOf(COARSE_LATENCY_BUCKETS_MS, 10, at(6000)); // overflow, > 5000
    expect(tailsOf(coarse).surelyAbove(5000)).toBe(10);
    expect(tailsOf(coarse).surelyAbove(7500)).toBe(0);
    expect(tailsOf(coarse).mayBeAbove(1e9)).toBe(10);
  });
});

describe("the latency guard: candidate p95 > 1.5 × control p95, on the fine histograms", () => {
  it("trips on candidates 1.8×, 3.6× and 4.5× slower than an 11 ms control (were 0 slow calls of 1,000)", () => {
    for (const ms of [20, 40, 49]) {
      const { seen, test } = watch(FINE_LATENCY_BUCKETS_MS, 5_000, at(11), at(ms));
      expect(seen).toBeDefined();
      expect(seen).toBeLessThanOrEqual(1_000);
      expect(test.events).toBe(test.trials); // every candidate call surely above 1.5 × the control bound
    }
  });

  it("does not trip at the limit or below it: 16.5 ms or 11 ms against 11 ms, over 200,000 calls", () => {
    expect(watch(FINE_LATENCY_BUCKETS_MS, 200_000, at(11), at(16.5)).seen).toBeUndefined();
    expect(watch(FINE_LATENCY_BUCKETS_MS, 200_000, at(11), at(11)).seen).toBeUndefined();
  });

  it("needs the control's p95 established first: a slow candidate beside 100 control calls does not trip", () => {
    const step = stepTest(
      guard,
      freshTest(),
      report(
        histogramOf(FINE_LATENCY_BUCKETS_MS, 100, at(11)),
        histogramOf(FINE_LATENCY_BUCKETS_MS, 10_000, at(500)),
      ),
    );
    expect(step.tripped).toBe(false);
  });

  it("log-normal latencies: false trips at exactly 1.5× within the bound; 3× trips every run (seeded)", () => {
    const rand = seeded(15);
    const control = () => logNormal(rand, 10, 0.5);
    const bound = ((100_000 / RESTART_TRIALS + 1) * guard.alpha) / (HORIZON_TRIALS / RESTART_TRIALS + 1);
    let falseTrips = 0;
    for (let run = 0; run < 30; run++) {
      if (watch(FINE_LATENCY_BUCKETS_MS, 100_000, control, () => logNormal(rand, 15, 0.5)).seen) falseTrips++;
    }
    expect(falseTrips / 30).toBeLessThanOrEqual(bound);
    for (let run = 0; run < 20; run++) {
      expect(
        watch(FINE_LATENCY_BUCKETS_MS, 5_000, control, () => logNormal(rand, 30, 0.5)).seen,
      ).toBeDefined();
    }
  }, 300_000);
});

describe("on the coarse histograms SDKs send today", () => {
  it("stays valid but can only see large ratios: 60 ms against 11 ms trips, 20–49 ms cannot", () => {
    expect(watch(COARSE_LATENCY_BUCKETS_MS, 5_000, at(11), at(60)).seen).toBeDefined();
    for (const ms of [20, 40, 49])
      expect(watch(COARSE_LATENCY_BUCKETS_MS, 20_000, at(11), at(ms)).seen).toBeUndefined();
  });

  it("sums instances on the fine and the coarse scale on the coarse one, and keeps testing", () => {
    const fine = (ms: number) => histogramOf(FINE_LATENCY_BUCKETS_MS, BATCH, at(ms));
    const coarse = (ms: number) => histogramOf(COARSE_LATENCY_BUCKETS_MS, BATCH, at(ms));
    const first = stepTest(guard, freshTest(), report(fine(11), fine(60)));
    const second = stepTest(guard, first.test, report(coarse(11), coarse(60)));
    expect(first.test.controlLatency).toHaveLength(FINE_LATENCY_BUCKETS_MS.length + 1);
    expect(second.test.controlLatency).toHaveLength(COARSE_LATENCY_BUCKETS_MS.length + 1);
    expect(second.test.trials).toBe(2 * BATCH);
    expect(second.test.statistic).toBeGreaterThan(first.test.statistic);
  });
});
