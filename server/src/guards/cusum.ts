/**
 * @module The guards' sequential test: a CUSUM over log-likelihood ratios of Bernoulli rates, restarted at
 * most once per {@link RESTART_TRIALS} trials, so it forgets a healthy history yet keeps a stated bound on
 * false trips.
 *
 * Each score tests one rate p with H0 at a boundary p0 against a design alternative p1 (either side of
 * p0). A report of n trials with x events adds llr = x·ln(p1/p0) + (n−x)·ln((1−p1)/(1−p0)). Under any rate
 * on H0's side of p0 the likelihood ratio from any start is a non-negative supermartingale, so by Ville's
 * inequality one start crosses ln(A) with probability ≤ 1/A. A score below 0 restarts at 0 once at least
 * RESTART_TRIALS trials have passed since its last restart: over N trials there are at most
 * N/RESTART_TRIALS + 1 starts, hence P(a false trip within N trials) ≤ (N/RESTART_TRIALS + 1)/A. The
 * threshold takes A so that this is alpha for N = {@link HORIZON_TRIALS}: alpha per million trials.
 */

/** A negative score restarts at 0 at most once per this many trials. */
export const RESTART_TRIALS = 1_000;
/** The false-trip bound alpha is stated per this many trials (and grows in proportion beyond). */
export const HORIZON_TRIALS = 1_000_000;

export interface RateHypotheses {
  /** H0's boundary: H0 is p ≤ p0 when p1 > p0, p ≥ p0 when p1 < p0. */
  p0: number;
  /** The design alternative the test is quickest against. */
  p1: number;
}

export interface Cusum {
  scores: number[];
  sinceRestart: number;
}

/** log(likelihood under p1 / likelihood under p0) of `events` in `trials`, its logs taken once. */
export function likelihoodRatioTest({ p0, p1 }: RateHypotheses): (trials: number, events: number) => number {
  if (!(p0 > 0 && p0 < 1 && p1 > 0 && p1 < 1 && p0 !== p1)) throw new Error("guard rates must be in (0, 1)");
  const perEvent = Math.log(p1 / p0);
  const perNonEvent = Math.log((1 - p1) / (1 - p0));
  return (trials, events) => {
    if (!Number.isInteger(trials) || !Number.isInteger(events) || events < 0 || events > trials) {
      throw new Error("guard counts must be integers with 0 ≤ events ≤ trials");
    }
    return events * perEvent + (trials - events) * perNonEvent;
  };
}

export const logLikelihoodRatio = (h: RateHypotheses, trials: number, events: number) =>
  likelihoodRatioTest(h)(trials, events);

/**
 * The threshold a score must reach to trip: ln((HORIZON_TRIALS/RESTART_TRIALS + 1) · families / alpha),
 * `families` being how many independent claims share alpha (the latency guard makes two).
 */
export function tripThreshold(alpha: number, families = 1): number {
  if (!(alpha > 0 && alpha < 1)) throw new Error("guard alpha must be in (0, 1)");
  return Math.log(((HORIZON_TRIALS / RESTART_TRIALS + 1) * families) / alpha);
}

/**
 * Adds a report's increments (one per score) over `trials` trials. Every negative score restarts at 0 when
 * the restart is due; restarting them together keeps a score that sees more events never below one that
 * sees fewer (what the latency guard's bound across edges rests on).
 */
export function cusumStep(state: Cusum, increments: number[], trials: number): Cusum {
  const scores = increments.map((inc, i) => (state.scores[i] ?? 0) + inc);
  const sinceRestart = state.sinceRestart + trials;
  if (sinceRestart < RESTART_TRIALS || !scores.some((s) => s < 0)) return { scores, sinceRestart };
  return { scores: scores.map((s) => Math.max(0, s)), sinceRestart: 0 };
}
