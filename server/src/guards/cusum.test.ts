import { describe, expect, it } from "vitest";
import { binomial, seeded } from "../../test/random.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { cusumStep, HORIZON_TRIALS, logLikelihoodRatio, RESTART_TRIALS, tripThreshold } from "./cusum.js";
import { freshTest, type GuardTest, rateHypotheses, stepTest } from "./metrics.js";

const guard = { metric: "mismatch_rate" as const, limit: 0.01, alpha: 0.01 };
const BATCH = 100;

const report = (mismatches: number, compared = BATCH): ShadowFlagInput => ({
  calls: compared,
  shadowed: compared,
  matches: compared - mismatches,
  mismatches,
  candidateErrors: 0,
  controlErrors: 0,
  timeouts: 0,
  skipped: 0,
  controlLatency: [],
  candidateLatency: [],
  samples: [],
});

/** Feeds reports of 100 compared calls at a true rate; the calls seen when it trips, or undefined. */
function watch(rate: number, calls: number, rand: () => number, start: GuardTest = freshTest()) {
  let test = start;
  for (let seen = BATCH; seen <= calls; seen += BATCH) {
    const step = stepTest(guard, test, report(binomial(rand, BATCH, rate)));
    test = step.test;
    if (step.tripped) return seen;
  }
  return undefined;
}

const share = (runs: number, f: () => number | undefined) => {
  let n = 0;
  for (let r = 0; r < runs; r++) if (f() !== undefined) n++;
  return n / runs;
};

describe("the rate guards' test: H0 rate ≤ limit, design alternative 1.5 × limit", () => {
  it("tests exactly the limit against 1.5 × it, and keeps the alternative below 1 for high limits", () => {
    expect(rateHypotheses(0.01)).toEqual({ p0: 0.01, p1: 0.015 });
    expect(rateHypotheses(0.8)).toEqual({ p0: 0.8, p1: 0.9 });
    // alpha 1% per million trials, at most 1,001 starts in them: ln(1001 / 0.01).
    expect(tripThreshold(0.01)).toBeCloseTo(Math.log((HORIZON_TRIALS / RESTART_TRIALS + 1) / 0.01), 12);
  });

  it("a few early mismatches do not trip it", () => {
    expect(stepTest(guard, freshTest(), report(3, 20)).tripped).toBe(false);
    expect(stepTest(guard, freshTest(), report(10, 100)).tripped).toBe(false);
  });

  it("a rate under the limit (0.75% for a 1% limit) does not trip it (seeded, 100 runs × 100,000 calls)", () => {
    // Was killed in 95.4% of runs when the test put H1 at the limit and H0 at half of it.
    const rand = seeded(75);
    expect(share(100, () => watch(0.0075, 100_000, rand))).toBeLessThanOrEqual(guard.alpha);
  }, 120_000);

  it("at exactly the limit it trips falsely no more than alpha allows (seeded, 50 runs × 400,000 calls)", () => {
    const rand = seeded(100);
    // The bound for 400,000 trials: (400 + 1) starts / (1,001 / alpha) ≈ 0.4 × alpha.
    const bound = ((400_000 / RESTART_TRIALS + 1) * guard.alpha) / (HORIZON_TRIALS / RESTART_TRIALS + 1);
    expect(share(50, () => watch(0.01, 400_000, rand))).toBeLessThanOrEqual(bound);
  }, 120_000);

  it("1.5 × the limit trips every run (seeded, 100 runs), most within 15,000 calls", () => {
    const rand = seeded(150);
    const at = Array.from({ length: 100 }, () => watch(0.015, 60_000, rand));
    expect(at.every((n) => n !== undefined)).toBe(true);
    expect(at.filter((n) => (n as number) <= 15_000).length).toBeGreaterThan(50);
  }, 120_000);

  it("stays quick after a long healthy run: 5% after 1,000,000 healthy calls trips within 2,000 calls", () => {
    // The never-clamped test needed about 109,600 calls here (200 when fresh).
    const rand = seeded(5);
    let healthy = freshTest();
    for (let i = 0; i < 10_000; i++)
      healthy = stepTest(guard, healthy, report(binomial(rand, BATCH, 0.005))).test;
    expect(healthy.trials).toBe(1_000_000);
    for (let run = 0; run < 50; run++) expect(watch(0.05, 2_000, rand, healthy)).toBeDefined();
  }, 60_000);

  it("restarts a negative score at most once per RESTART_TRIALS trials, and all negative scores together", () => {
    const a = cusumStep({ scores: [0, 0], sinceRestart: 0 }, [-1, 2], 600);
    expect(a).toEqual({ scores: [-1, 2], sinceRestart: 600 });
    const b = cusumStep(a, [-1, -3], 600);
    expect(b).toEqual({ scores: [0, 0], sinceRestart: 0 });
    expect(cusumStep(b, [1, -1], 2_000)).toEqual({ scores: [1, 0], sinceRestart: 0 });
  });

  it("rejects bad rates and counts", () => {
    expect(() => logLikelihoodRatio({ p0: 0.01, p1: 0.01 }, 1, 0)).toThrow(/rates/);
    expect(() => logLikelihoodRatio({ p0: 0.01, p1: 0.02 }, 1, 2)).toThrow(/events/);
    expect(() => tripThreshold(0)).toThrow(/alpha/);
  });
});
