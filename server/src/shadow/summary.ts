/**
 * @module Turns stored shadow rows into what people read: mismatch and error rates, latency p50/p95 of the
 * old and the new path, over time windows, plus the latest mismatch samples.
 */
import { addHistograms, edgesOf } from "./latency-buckets.js";

export interface ShadowRow {
  minute: Date;
  calls: number;
  shadowed: number;
  matches: number;
  mismatches: number;
  candidate_errors: number;
  control_errors: number;
  timeouts: number;
  skipped: number;
  control_latency: number[];
  candidate_latency: number[];
  samples: { control: unknown; candidate: unknown; at: number }[];
}

/** The upper bound of the bucket holding the p-th percentile; null when it is the overflow bucket. */
export function percentileMs(histogram: number[], p: number): number | null {
  const edges = edgesOf(histogram);
  const total = histogram.reduce((a, b) => a + b, 0);
  if (!edges || total === 0) return null;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] as number;
    if (seen >= (p / 100) * total) return edges[i] ?? null;
  }
  return null;
}

function sum(rows: ShadowRow[]) {
  const out = {
    calls: 0,
    shadowed: 0,
    matches: 0,
    mismatches: 0,
    candidateErrors: 0,
    controlErrors: 0,
    timeouts: 0,
    skipped: 0,
  };
  let control: number[] = [];
  let candidate: number[] = [];
  for (const r of rows) {
    out.calls += r.calls;
    out.shadowed += r.shadowed;
    out.matches += r.matches;
    out.mismatches += r.mismatches;
    out.candidateErrors += r.candidate_errors;
    out.controlErrors += r.control_errors;
    out.timeouts += r.timeouts;
    out.skipped += r.skipped;
    control = addHistograms(control, r.control_latency);
    candidate = addHistograms(candidate, r.candidate_latency);
  }
  const compared = out.matches + out.mismatches;
  return {
    ...out,
    mismatchRate: compared ? out.mismatches / compared : 0,
    errorRate: out.shadowed ? (out.candidateErrors + out.timeouts) / out.shadowed : 0,
    latencyMs: {
      control: { p50: percentileMs(control, 50), p95: percentileMs(control, 95) },
      candidate: { p50: percentileMs(candidate, 50), p95: percentileMs(candidate, 95) },
    },
  };
}

export function summarise(rows: ShadowRow[], windowMinutes: number) {
  const windows = new Map<number, ShadowRow[]>();
  const size = windowMinutes * 60_000;
  for (const r of rows) {
    const at = Math.floor(new Date(r.minute).getTime() / size) * size;
    windows.set(at, [...(windows.get(at) ?? []), r]);
  }
  return {
    totals: sum(rows),
    series: [...windows.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, rs]) => ({ at: new Date(at).toISOString(), ...sum(rs) })),
    samples: rows
      .flatMap((r) => r.samples)
      .sort((a, b) => b.at - a.at)
      .slice(0, 20),
  };
}
