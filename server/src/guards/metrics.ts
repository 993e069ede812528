/**
 * @module What each guard tests, and one report's step of its test.
 *
 * - `mismatch_rate` (limit e.g. 0.01): trials are compared calls (matches + mismatches), events mismatches.
 * - `error_rate` (limit e.g. 0.005): trials are shadowed calls that finished or timed out, events candidate
 *   errors and timeouts.
 *   Both test H0: rate ≤ limit against the design alternative 1.5 × limit (limit + half the way to 1 above
 *   a limit of 50%), one CUSUM score (cusum.ts).
 * - `latency_p95_ratio` (limit e.g. 1.5): candidate p95 > limit × control p95, see latency.ts.
 */
import type { GuardMetric } from "../db/schema.js";
import { addHistograms } from "../shadow/latency-buckets.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { type Cusum, cusumStep, logLikelihoodRatio, type RateHypotheses, tripThreshold } from "./cusum.js";
import { LATENCY_FAMILIES, latencyIncrements, latencyStatistic, tailsOf } from "./latency.js";

/** A guard's running test: what the row keeps between reports. */
export interface GuardTest extends Cusum {
  trials: number;
  events: number;
  /** The statistic that trips at the threshold (the rate score; for latency the best edge's). */
  statistic: number;
  controlLatency: number[];
  candidateLatency: number[];
}

export const freshTest = (): GuardTest => ({
  scores: [],
  sinceRestart: 0,
  trials: 0,
  events: 0,
  statistic: 0,
  controlLatency: [],
  candidateLatency: [],
});

export interface GuardSettings {
  metric: GuardMetric;
  limit: number;
  alpha: number;
}

/** The guard's rule in words: "mismatch rate > 1%". */
export function ruleText(metric: GuardMetric, limit: number): string {
  if (metric === "latency_p95_ratio") return `candidate p95 latency > ${limit}× control`;
  const what = metric === "mismatch_rate" ? "mismatch rate" : "candidate error rate";
  return `${what} > ${+(limit * 100).toFixed(3)}%`;
}

/** H0's boundary and the design alternative of a rate guard. */
export const rateHypotheses = (limit: number): RateHypotheses => ({
  p0: limit,
  p1: limit + 0.5 * Math.min(limit, 1 - limit),
});

export const thresholdOf = (g: GuardSettings) =>
  tripThreshold(g.alpha, g.metric === "latency_p95_ratio" ? LATENCY_FAMILIES : 1);

export function rateCounts(metric: Exclude<GuardMetric, "latency_p95_ratio">, report: ShadowFlagInput) {
  if (metric === "mismatch_rate")
    return { trials: report.matches + report.mismatches, events: report.mismatches };
  const failed = report.candidateErrors + report.timeouts;
  return { trials: report.matches + report.mismatches + failed, events: failed };
}

/** The test after one report, whether it trips, and (latency) the edge it would trip at. */
export function stepTest(g: GuardSettings, test: GuardTest, report: ShadowFlagInput) {
  return g.metric === "latency_p95_ratio" ? stepLatency(g, test, report) : stepRate(g, test, report);
}

function stepRate(g: GuardSettings, test: GuardTest, report: ShadowFlagInput) {
  const { trials, events } = rateCounts(g.metric as Exclude<GuardMetric, "latency_p95_ratio">, report);
  const cusum = cusumStep(test, [logLikelihoodRatio(rateHypotheses(g.limit), trials, events)], trials);
  const statistic = cusum.scores[0] ?? 0;
  const next = { ...test, ...cusum, trials: test.trials + trials, events: test.events + events, statistic };
  return { test: next, tripped: statistic >= thresholdOf(g), edge: undefined };
}

function stepLatency(g: GuardSettings, test: GuardTest, report: ShadowFlagInput) {
  const step = latencyIncrements(g.limit, report.controlLatency, report.candidateLatency);
  const cusum = cusumStep(test, step.increments, step.trials);
  const { statistic, edge } = latencyStatistic(cusum.scores);
  const controlLatency = addHistograms(test.controlLatency, report.controlLatency);
  const candidateLatency = addHistograms(test.candidateLatency, report.candidateLatency);
  const next = {
    ...cusum,
    trials: candidateLatency.reduce((a, b) => a + b, 0),
    // Candidate calls surely slower than limit × the edge the test is nearest to confirming for control.
    events: edge === undefined ? 0 : tailsOf(candidateLatency).surelyAbove(g.limit * edge),
    statistic,
    controlLatency,
    candidateLatency,
  };
  return { test: next, tripped: statistic >= thresholdOf(g), edge };
}
