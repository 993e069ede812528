/**
 * One-sided sequential probability ratio test on a rate (mismatches or errors over shadowed calls).
 * H0: rate = p0 (acceptable, default half the limit) vs H1: rate = p1 (the limit). The log-likelihood
 * ratio is never clamped from below, so under any rate ≤ p0 the likelihood ratio is a non-negative
 * supermartingale and, by Ville's inequality, the chance it EVER reaches 1/alpha is ≤ alpha: the
 * false-trip rate is bounded by alpha however long the guard watches (always valid).
 */
export interface SprtConfig {
  limit: number; // p1, e.g. 0.01 for "mismatch rate > 1%"
  acceptable?: number; // p0, default limit / 2
  alpha?: number; // bound on the false-trip probability, default 0.01
}

export interface SprtState {
  llr: number;
  trials: number;
  events: number;
}

export const initialSprt = (): SprtState => ({ llr: 0, trials: 0, events: 0 });

export function sprtStep(config: SprtConfig, state: SprtState, trials: number, events: number) {
  const p1 = config.limit;
  const p0 = config.acceptable ?? p1 / 2;
  const alpha = config.alpha ?? 0.01;
  if (!(p0 > 0 && p0 < p1 && p1 < 1)) throw new Error("guard needs 0 < acceptable < limit < 1");
  if (!(alpha > 0 && alpha < 1)) throw new Error("guard alpha must be in (0, 1)");
  if (!Number.isInteger(trials) || !Number.isInteger(events) || events < 0 || events > trials) {
    throw new Error("guard counts must be integers with 0 ≤ events ≤ trials");
  }
  const llr = state.llr + events * Math.log(p1 / p0) + (trials - events) * Math.log((1 - p1) / (1 - p0));
  const next: SprtState = { llr, trials: state.trials + trials, events: state.events + events };
  return { state: next, tripped: llr >= Math.log(1 / alpha) };
}
