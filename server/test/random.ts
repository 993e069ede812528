/**
 * @module Seeded randomness for simulations (guard tests and bench/guard-simulation.ts): the same seed gives
 * the same draws, so simulated figures reproduce exactly.
 */

/** mulberry32: a small, fast 32-bit generator; uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Events among n trials of rate p, by inversion (quick for the small n·p of guard batches). */
export function binomial(rand: () => number, n: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  const u = rand();
  let k = 0;
  let term = (1 - p) ** n;
  let cdf = term;
  while (u > cdf && k < n) {
    term *= ((n - k) / (k + 1)) * (p / (1 - p));
    k++;
    cdf += term;
  }
  return k;
}

/** A log-normal draw: median × e^(sigma·Z), Z standard normal (Box–Muller). */
export function logNormal(rand: () => number, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * z);
}

/** A histogram on `edges` (one more bucket for overflow) of `n` draws, as an SDK would report them. */
export function histogramOf(edges: readonly number[], n: number, draw: () => number): number[] {
  const h = Array.from({ length: edges.length + 1 }, () => 0);
  for (let i = 0; i < n; i++) {
    const ms = draw();
    let lo = 0;
    let hi = edges.length; // first edge ≥ ms, or the overflow bucket
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((edges[mid] as number) >= ms) hi = mid;
      else lo = mid + 1;
    }
    h[lo] = (h[lo] as number) + 1;
  }
  return h;
}
