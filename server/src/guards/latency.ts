/**
 * @module The latency guard: "the candidate's p95 is above limit × the control's p95", decided on the
 * histograms both paths report, with neither p95 known in advance.
 *
 * For each edge e of the fine scale it makes two claims, each a CUSUM family (cusum.ts):
 * - control: P(control > e) < 5%, i.e. control p95 ≤ e — H0: P(control > e) ≥ 5%, alternative 3.33%;
 *   control calls that may be above e (any bucket reaching above it) count as above.
 * - candidate: P(candidate > limit·e) > 5%, i.e. candidate p95 > limit·e — H0: ≤ 5%, alternative 7.5%;
 *   only candidate calls in buckets wholly above limit·e count as above.
 * It trips when, for one edge, both claims cross the threshold: then candidate p95 > limit·e ≥ limit ×
 * control p95. Counting conservatively keeps both families valid on either histogram scale. Within a
 * family a score that sees more events is never below one that sees fewer, so the family is wrong at any
 * edge only if its worst edge crosses: each family needs no share of alpha per edge, only per family,
 * and the two families share alpha (threshold families = 2).
 */
import { edgesOf, FINE_LATENCY_BUCKETS_MS } from "../shadow/latency-buckets.js";
import { likelihoodRatioTest } from "./cusum.js";

const TAIL = 0.05;
// Design alternatives 1.5× away on the tail, as for the rate guards.
const controlClaim = likelihoodRatioTest({ p0: TAIL, p1: TAIL / 1.5 });
const candidateClaim = likelihoodRatioTest({ p0: TAIL, p1: TAIL * 1.5 });
/** The control edges tested: the fine scale's (a coarse histogram counts conservatively on them). */
export const LATENCY_EDGES = FINE_LATENCY_BUCKETS_MS;
export const LATENCY_FAMILIES = 2;

/** Counts of calls above a latency, as far as a histogram can tell. */
export interface Tails {
  calls: number;
  /** Calls that may be above `ms`: every bucket whose upper bound is above it. */
  mayBeAbove(ms: number): number;
  /** Calls surely above `ms`: every bucket whose lower bound is at or above it. */
  surelyAbove(ms: number): number;
}

/** Index of the first value of an ascending list that is `atLeast` (or above) `ms`; the length if none. */
function firstFrom(values: readonly number[], ms: number, strictly: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid] as number;
    if (strictly ? v > ms : v >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function tailsOf(histogram: readonly number[]): Tails {
  const edges = edgesOf(histogram) ?? [];
  const lowers = [0, ...edges]; // bucket i holds (lowers[i], uppers[i]]
  const uppers = [...edges, Number.POSITIVE_INFINITY];
  const fromBucket: number[] = []; // calls in bucket i and above
  for (let i = histogram.length - 1, sum = 0; i >= 0; i--) fromBucket[i] = sum += histogram[i] as number;
  const from = (i: number) => fromBucket[i] ?? 0;
  return {
    calls: from(0),
    mayBeAbove: (ms) => from(firstFrom(uppers, ms, true)),
    surelyAbove: (ms) => from(firstFrom(lowers, ms, false)),
  };
}

/**
 * A report's CUSUM increments: the control claim at every edge, then the candidate claim at every edge;
 * `trials` is what both paths saw at least (the restart spacing must hold for each).
 */
export function latencyIncrements(limit: number, control: readonly number[], candidate: readonly number[]) {
  const c = tailsOf(control);
  const d = tailsOf(candidate);
  const increments = [
    ...LATENCY_EDGES.map((e) => controlClaim(c.calls, c.mayBeAbove(e))),
    ...LATENCY_EDGES.map((e) => candidateClaim(d.calls, d.surelyAbove(limit * e))),
  ];
  return { increments, trials: Math.min(c.calls, d.calls) };
}

/**
 * How close the test is to tripping: the best edge's lower score of its two claims. The edge is where a
 * trip would be: control p95 ≤ edge, candidate p95 > limit × edge.
 */
export function latencyStatistic(scores: readonly number[]): { statistic: number; edge: number | undefined } {
  let best = { statistic: 0, edge: undefined as number | undefined };
  LATENCY_EDGES.forEach((edge, k) => {
    const both = Math.min(scores[k] ?? 0, scores[LATENCY_EDGES.length + k] ?? 0);
    if (both > best.statistic) best = { statistic: both, edge };
  });
  return best;
}
