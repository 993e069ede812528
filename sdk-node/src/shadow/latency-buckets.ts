/**
 * @module The latency scale shadow histograms are counted on: the server's fine scale (its
 * `shadow/latency-buckets.ts`), the R20 preferred numbers per decade from 0.1 ms to 5,000 ms — 95 edges,
 * each bucket at most 14% wide — plus an overflow bucket. The server tells a histogram's scale by its length
 * and its latency guard ("candidate p95 > 1.5 × control p95") needs steps finer than 1.5×: core's coarse
 * scale (2–2.5× steps) cannot tell a 1.8× slower candidate from an equal one.
 */

const R20 = [1, 1.12, 1.25, 1.4, 1.6, 1.8, 2, 2.24, 2.5, 2.8, 3.15, 3.55, 4, 4.5, 5, 5.6, 6.3, 7.1, 8, 9];

/** Upper bounds (ms) of the buckets, ascending; a histogram has one more count, for the overflow. */
export const LATENCY_EDGES_MS: readonly number[] = [-1, 0, 1, 2, 3]
  .flatMap((decade) => R20.map((m) => Number((m * 10 ** decade).toPrecision(3))))
  .filter((edge) => edge <= 5000);

/** Counts per histogram: one per edge plus the overflow. */
export const LATENCY_BUCKETS = LATENCY_EDGES_MS.length + 1;

/**
 * The bucket of a latency: the first whose upper bound is at or above `ms` (bucket i holds
 * (edges[i-1], edges[i]]), the overflow above the last edge. Binary search: 7 steps for 96 buckets.
 * A latency that is not a number (a clock gone wrong) counts in the first bucket rather than nowhere.
 */
export function latencyBucket(ms: number): number {
  let lo = 0;
  let hi = LATENCY_EDGES_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((LATENCY_EDGES_MS[mid] as number) >= ms) hi = mid;
    else lo = mid + 1;
  }
  return Number.isNaN(ms) ? 0 : lo;
}

export const emptyHistogram = (): number[] => new Array<number>(LATENCY_BUCKETS).fill(0);
