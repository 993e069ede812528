/**
 * @module The latency histograms in shadow reports. A histogram is one count per bucket: bucket i holds the
 * calls in (edges[i-1], edges[i]] ms, the first from 0, the last (overflow) everything above the last edge.
 *
 * Two scales are accepted, told apart by length:
 * - coarse: core's `SHADOW_LATENCY_BUCKETS_MS` (0.1, 0.25, 0.5, 1, 2.5 … 5000 ms: 16 buckets), what older
 *   SDKs send. Its steps of 2–2.5× are too wide to tell a 1.5× slower p95 apart from an equal one.
 * - fine: {@link FINE_LATENCY_BUCKETS_MS}, the R20 preferred numbers (1, 1.12, 1.25, 1.4, 1.6 … 9 per
 *   decade) from 0.1 to 5000 ms: 96 buckets, each at most 14% wide; what sdk-node sends
 *   (`sdk-node/src/shadow/latency-buckets.ts`, whose test keeps its copy equal to this one). Every coarse edge is a fine edge, so a
 *   fine histogram folds exactly into a coarse one and instances on either scale can be summed.
 */
import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";

const R20 = [1, 1.12, 1.25, 1.4, 1.6, 1.8, 2, 2.24, 2.5, 2.8, 3.15, 3.55, 4, 4.5, 5, 5.6, 6.3, 7.1, 8, 9];

export const COARSE_LATENCY_BUCKETS_MS: readonly number[] = SHADOW_LATENCY_BUCKETS_MS;

export const FINE_LATENCY_BUCKETS_MS: readonly number[] = [-1, 0, 1, 2, 3]
  .flatMap((decade) => R20.map((m) => Number((m * 10 ** decade).toPrecision(3))))
  .filter((edge) => edge <= 5000);

export const HISTOGRAM_LENGTHS = [COARSE_LATENCY_BUCKETS_MS.length + 1, FINE_LATENCY_BUCKETS_MS.length + 1];

/** The edges a histogram is counted on, from its length; undefined for neither scale. */
export function edgesOf(histogram: readonly number[]): readonly number[] | undefined {
  if (histogram.length === COARSE_LATENCY_BUCKETS_MS.length + 1) return COARSE_LATENCY_BUCKETS_MS;
  if (histogram.length === FINE_LATENCY_BUCKETS_MS.length + 1) return FINE_LATENCY_BUCKETS_MS;
  return undefined;
}

/** Lower and upper bound (ms) of bucket i on these edges; the overflow's upper bound is Infinity. */
export const bucketBounds = (edges: readonly number[], i: number): [number, number] => [
  i === 0 ? 0 : (edges[i - 1] as number),
  i < edges.length ? (edges[i] as number) : Number.POSITIVE_INFINITY,
];

/** A fine histogram folded onto the coarse edges (a coarse one unchanged). */
export function toCoarse(histogram: readonly number[]): number[] {
  const edges = edgesOf(histogram);
  if (edges !== FINE_LATENCY_BUCKETS_MS) return [...histogram];
  const coarse = Array.from({ length: COARSE_LATENCY_BUCKETS_MS.length + 1 }, () => 0);
  histogram.forEach((n, i) => {
    const upper = bucketBounds(edges, i)[1];
    const j = COARSE_LATENCY_BUCKETS_MS.findIndex((edge) => upper <= edge);
    const at = j === -1 ? COARSE_LATENCY_BUCKETS_MS.length : j;
    coarse[at] = (coarse[at] as number) + n;
  });
  return coarse;
}

/** The sum of two histograms; on the coarse scale when they are not on the same one. Empty is nothing. */
export function addHistograms(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0) return [...b];
  if (b.length === 0) return [...a];
  const [x, y] = a.length === b.length ? [a, b] : [toCoarse(a), toCoarse(b)];
  return x.map((n, i) => n + (y[i] ?? 0));
}
