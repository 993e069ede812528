/** @module Guards in words: their rule, their status and the figures that tripped them. */
import type { Guard, GuardMetric } from "./api.js";

export type GuardStatus = "green" | "watching" | "tripped";

/**
 * Green: no evidence against the new code. Watching: the sequential test has gathered at least half the
 * evidence it needs to trip, so a trip may be near. Tripped: it acted and no longer watches.
 */
export function guardStatus(g: Pick<Guard, "status" | "llr" | "threshold">): GuardStatus {
  if (g.status === "tripped") return "tripped";
  return g.threshold > 0 && g.llr >= g.threshold / 2 ? "watching" : "green";
}

export const METRIC_LABEL: Record<GuardMetric, string> = {
  mismatch_rate: "Mismatch rate",
  error_rate: "Candidate error rate",
  latency_p95_ratio: "Candidate p95 latency",
};

const pct = (rate: number) => `${+(rate * 100).toFixed(3)}%`;

/** "mismatch rate > 1%", as the server words it (server/src/guards/metrics.ts `ruleText`). */
export function ruleText(metric: GuardMetric, limit: number): string {
  if (metric === "latency_p95_ratio") return `candidate p95 latency > ${limit}× control`;
  return `${metric === "mismatch_rate" ? "mismatch rate" : "candidate error rate"} > ${pct(limit)}`;
}

interface TripFigures {
  trials?: number;
  events?: number;
  observedRate?: number;
  observedP95Ms?: { control: number | null; candidate: number | null };
  step?: string | null;
}

/** The figures that tripped a guard as a sentence ("12 of 400 calls (3%) at the shadow step"). */
export function describeTrip(g: Pick<Guard, "metric" | "trip" | "action">): string {
  const t = (typeof g.trip === "object" && g.trip !== null ? g.trip : {}) as TripFigures;
  const at = t.step ? ` at the ${t.step} step` : "";
  const done = g.action === "kill" ? "the flag was killed" : "its ramp was stopped";
  if (g.metric === "latency_p95_ratio") {
    const seen = t.observedP95Ms;
    const ms = (v: number | null | undefined) => (v === null || v === undefined ? "> 5000" : `${v}`);
    return `p95 ${ms(seen?.control)} ms (old) vs ${ms(seen?.candidate)} ms (new) over ${t.trials ?? 0} calls${at}; ${done}.`;
  }
  const what = g.metric === "mismatch_rate" ? "compared calls differed" : "shadowed calls failed";
  return `${t.events ?? 0} of ${t.trials ?? 0} ${what} (${pct(t.observedRate ?? 0)})${at}; ${done}.`;
}
