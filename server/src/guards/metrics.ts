/**
 * @module What each guard counts in a shadow report: trials and "bad" events for its sequential test.
 *
 * - `mismatch_rate`: compared calls (matches + mismatches); events are mismatches. Limit e.g. 0.01.
 * - `error_rate`: shadowed calls that finished or timed out; events are candidate errors and timeouts.
 * - `latency_p95_ratio`: "the candidate's p95 is above limit × the control's p95" is the same statement as
 *   "more than 5% of candidate calls take longer than limit × control p95". So each candidate call is a
 *   trial and it is an event when it falls in a latency bucket entirely above that threshold (conservative:
 *   a bucket straddling it does not count), tested against a rate of 5% — with the control's p95 taken from
 *   every control latency the guard has seen so far.
 */
import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import type { GuardMetric } from "../db/schema.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";

export interface GuardCounts {
  trials: number;
  events: number;
}

/** The SPRT's rates for a guard: H1 at the limit (p1), H0 at half of it (p0) — for latency, on the 5% tail. */
export function testedRates(metric: GuardMetric, limit: number): { limit: number; acceptable: number } {
  return metric === "latency_p95_ratio"
    ? { limit: 0.05, acceptable: 0.025 }
    : { limit, acceptable: limit / 2 };
}

export const addHistograms = (a: number[], b: number[]): number[] =>
  Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));

/** Upper bound (ms) of the bucket holding the 95th percentile; undefined without data or in the overflow. */
export function p95Upper(histogram: number[]): number | undefined {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= 0.95 * total) return SHADOW_LATENCY_BUCKETS_MS[i];
  }
  return undefined;
}

/** Candidate calls in buckets whose lower bound is at or above `threshold` ms (the overflow bucket included). */
function slowerThan(histogram: number[], threshold: number): number {
  let n = 0;
  for (let i = 0; i < histogram.length; i++) {
    const lower = i === 0 ? 0 : (SHADOW_LATENCY_BUCKETS_MS[i - 1] as number);
    if (lower >= threshold) n += histogram[i] ?? 0;
  }
  return n;
}

export function countsFor(
  metric: GuardMetric,
  limit: number,
  report: ShadowFlagInput,
  controlSoFar: number[],
): GuardCounts {
  switch (metric) {
    case "mismatch_rate":
      return { trials: report.matches + report.mismatches, events: report.mismatches };
    case "error_rate": {
      const failed = report.candidateErrors + report.timeouts;
      return { trials: report.matches + report.mismatches + failed, events: failed };
    }
    case "latency_p95_ratio": {
      const p95 = p95Upper(controlSoFar);
      const trials = report.candidateLatency.reduce((a, b) => a + b, 0);
      if (p95 === undefined) return { trials: 0, events: 0 };
      return { trials, events: slowerThan(report.candidateLatency, limit * p95) };
    }
  }
}
