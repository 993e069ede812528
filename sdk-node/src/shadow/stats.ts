/**
 * @module Per-flag shadow statistics: calls, shadowed calls, matches, mismatches, candidate errors,
 * timeouts, bulkhead skips, latency histograms of both paths and a small bounded sample of mismatches.
 * Memory is bounded: a fixed histogram per flag, at most `maxFlags` flags and `maxSamples` samples each.
 */
import type { JsonValue } from "@switchyard/core";

/** Log-scale latency buckets, upper bounds in milliseconds. */
export const LATENCY_BUCKETS_MS = [
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1000,
  2500,
  5000,
  Number.POSITIVE_INFINITY,
];

export interface MismatchSample {
  control: JsonValue;
  candidate: JsonValue;
  at: number;
}

export interface FlagShadowStats {
  calls: number;
  shadowed: number;
  matches: number;
  mismatches: number;
  candidateErrors: number;
  /** Errors of the old code when it runs as the shadow (roles swapped for users served the candidate). */
  controlErrors: number;
  timeouts: number;
  /** Sampled calls not run because the flag's concurrent shadow runs were at their cap. */
  skipped: number;
  controlLatency: number[];
  candidateLatency: number[];
  samples: MismatchSample[];
}

const histogram = () => LATENCY_BUCKETS_MS.map(() => 0);

export class ShadowStats {
  private flags = new Map<string, FlagShadowStats>();
  /** Flags not tracked because `maxFlags` was reached. */
  dropped = 0;

  constructor(
    private readonly maxFlags = 1000,
    private readonly maxSamples = 10,
  ) {}

  for(flagKey: string): FlagShadowStats | undefined {
    let s = this.flags.get(flagKey);
    if (!s) {
      if (this.flags.size >= this.maxFlags) {
        this.dropped++;
        return undefined;
      }
      s = {
        calls: 0,
        shadowed: 0,
        matches: 0,
        mismatches: 0,
        candidateErrors: 0,
        controlErrors: 0,
        timeouts: 0,
        skipped: 0,
        controlLatency: histogram(),
        candidateLatency: histogram(),
        samples: [],
      };
      this.flags.set(flagKey, s);
    }
    return s;
  }

  static observe(histogramOf: number[], ms: number): void {
    let i = 0;
    while (ms > (LATENCY_BUCKETS_MS[i] as number)) i++;
    histogramOf[i] = (histogramOf[i] as number) + 1;
  }

  sample(stats: FlagShadowStats, sample: MismatchSample): void {
    if (stats.samples.length < this.maxSamples) stats.samples.push(sample);
  }

  get isEmpty(): boolean {
    return this.flags.size === 0;
  }

  /** Everything gathered since the last call, and a fresh start (what a report batch ships). */
  take(): Record<string, FlagShadowStats> {
    const out = Object.fromEntries(this.flags);
    this.flags = new Map();
    return out;
  }

  peek(flagKey: string): Readonly<FlagShadowStats> | undefined {
    return this.flags.get(flagKey);
  }
}
