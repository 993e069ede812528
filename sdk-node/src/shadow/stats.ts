/**
 * @module Per-flag shadow statistics: calls, shadowed calls, matches, mismatches, candidate errors,
 * timeouts, bulkhead skips, latency histograms of both paths and a small bounded sample of mismatches.
 * Memory is bounded: two fixed histograms per flag on the server's fine latency scale (latency-buckets.ts),
 * at most `maxFlags` flags and `maxSamples` samples each.
 */
import type { JsonValue } from "@switchyard/core";
import { emptyHistogram, latencyBucket } from "./latency-buckets.js";

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
  /** Counts per bucket of `LATENCY_EDGES_MS` (latency-buckets.ts), plus the overflow: what guards read. */
  controlLatency: number[];
  candidateLatency: number[];
  samples: MismatchSample[];
}

const COUNTERS = [
  "calls",
  "shadowed",
  "matches",
  "mismatches",
  "candidateErrors",
  "controlErrors",
  "timeouts",
  "skipped",
] as const;

/**
 * A detached JSON copy of a sample value (no reference to the application's objects is kept), or, when its
 * JSON is longer than {@link MAX_SAMPLE_VALUE_CHARS} or it has none, a string saying so: a few huge
 * mismatches must not make a report the server refuses, and with it the counts.
 */
export function boundedSampleValue(value: unknown): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    return `[not serialisable as JSON: ${error instanceof Error ? error.message : "unknown error"}]`;
  }
  if (text === undefined) return null;
  if (text.length <= MAX_SAMPLE_VALUE_CHARS) return JSON.parse(text) as JsonValue;
  const kept = MAX_SAMPLE_VALUE_CHARS - 100;
  return `${text.slice(0, kept)}… [truncated: ${text.length.toLocaleString("en")} characters of JSON in all]`;
}

/** Longest a sample's control or candidate value may be, as JSON text; longer ones are truncated. */
export const MAX_SAMPLE_VALUE_CHARS = 4096;

/** What a report ships: the statistics gathered between `start` and `end` (epoch ms). */
export interface ShadowWindow {
  start: number;
  end: number;
  flags: Record<string, FlagShadowStats>;
}

export class ShadowStats {
  private flags = new Map<string, FlagShadowStats>();
  private windowStart: number;
  /** Flags not tracked because `maxFlags` was reached. */
  dropped = 0;

  constructor(
    private readonly maxFlags = 1000,
    private readonly maxSamples = 10,
    private readonly wallClock: () => number = Date.now,
  ) {
    this.windowStart = wallClock();
  }

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
        controlLatency: emptyHistogram(),
        candidateLatency: emptyHistogram(),
        samples: [],
      };
      this.flags.set(flagKey, s);
    }
    return s;
  }

  static observe(histogramOf: number[], ms: number): void {
    const i = latencyBucket(ms);
    histogramOf[i] = (histogramOf[i] as number) + 1;
  }

  /** Keeps a mismatch (while the flag has fewer than `maxSamples`), its values bounded in size. */
  sample(stats: FlagShadowStats, control: unknown, candidate: unknown): void {
    if (stats.samples.length >= this.maxSamples) return;
    stats.samples.push({
      control: boundedSampleValue(control),
      candidate: boundedSampleValue(candidate),
      at: this.wallClock(),
    });
  }

  get isEmpty(): boolean {
    return this.flags.size === 0;
  }

  /** Everything gathered since the last call, and a fresh start. */
  take(): Record<string, FlagShadowStats> {
    return this.takeWindow().flags;
  }

  /** Like `take`, with the window's bounds (what a report batch ships). */
  takeWindow(): ShadowWindow {
    const end = this.wallClock();
    const window = { start: this.windowStart, end, flags: Object.fromEntries(this.flags) };
    this.flags = new Map();
    this.windowStart = end;
    return window;
  }

  /** Puts back a window that could not be sent: counts add up, samples and flags stay within bounds. */
  restore(window: ShadowWindow): void {
    this.windowStart = Math.min(this.windowStart, window.start);
    for (const [flagKey, old] of Object.entries(window.flags)) {
      const into = this.for(flagKey);
      if (!into) continue;
      for (const counter of COUNTERS) into[counter] += old[counter];
      old.controlLatency.forEach((n, i) => {
        into.controlLatency[i] = (into.controlLatency[i] ?? 0) + n;
      });
      old.candidateLatency.forEach((n, i) => {
        into.candidateLatency[i] = (into.candidateLatency[i] ?? 0) + n;
      });
      into.samples = [...old.samples, ...into.samples].slice(0, this.maxSamples);
    }
  }

  peek(flagKey: string): Readonly<FlagShadowStats> | undefined {
    return this.flags.get(flagKey);
  }
}
