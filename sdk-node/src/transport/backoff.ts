/**
 * @module Reconnection delays: exponential, bounded, with "equal jitter" (half the ceiling fixed, the other
 * half random) so a thousand SDK instances cut off by the same outage do not all come back in the same
 * millisecond, while none retries much sooner than the ceiling intends.
 */

export interface BackoffOptions {
  /** First delay ceiling, ms. */
  initialMs: number;
  /** Largest delay, ms. */
  maxMs: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;
  private readonly options: BackoffOptions;

  constructor(options: BackoffOptions) {
    this.options = { ...options };
    this.random = options.random ?? Math.random;
  }

  /** Delay before the next attempt: uniform in [ceiling/2, ceiling], ceiling doubling up to `maxMs`. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** The server's `retry:` hint replaces the initial delay (never beyond `maxMs`). */
  setInitialMs(ms: number): void {
    this.options.initialMs = Math.min(Math.max(1, ms), this.options.maxMs);
  }

  /** A connection held: the next failure starts from the initial delay again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
