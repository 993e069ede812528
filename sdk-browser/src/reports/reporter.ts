/**
 * @module Evaluation counts and version acks. Counts are batched in memory (bounded) and sent with
 * `navigator.sendBeacon` when the page is hidden or closed, so a report survives navigation; acks go out as
 * soon as a ruleset version is applied, so the server sees a kill switch reach this browser. Bodies are
 * `text/plain` JSON with the key in the query string: a simple request, no CORS preflight.
 */
import {
  ACK_PATH,
  type AckReport,
  type EvaluationCount,
  METRICS_PATH,
  type MetricsReport,
} from "@switchyard/core";

export const SDK_NAME = "sdk-browser/0.1.0";
/** Distinct (flag, variant) pairs kept per window; more are counted in `dropped`. */
const MAX_PAIRS = 500;

export interface Reporter {
  count(flag: string, variant: string | undefined): void;
  ack(version: number): void;
  /** Sends the pending window, if any. */
  flush(): void;
}

export type Send = (url: string, body: string) => void;

/** `sendBeacon` when the browser queues it, else `fetch` with `keepalive`; never throws. */
export const beacon: Send = (url, body) => {
  try {
    if (typeof navigator !== "undefined" && navigator.sendBeacon?.(url, body)) return;
    fetch(url, { method: "POST", body, keepalive: true }).catch(() => {});
  } catch {}
};

export function createReporter(
  base: string,
  clientKey: string,
  instanceId: string,
  send: Send = beacon,
): Reporter {
  let counts = new Map<string, EvaluationCount>();
  let dropped = 0;
  let start = Date.now();
  /** Every report names this SDK instance; the key rides in the query (see the module comment). */
  const post = <R extends AckReport | MetricsReport>(path: string, report: Omit<R, "instanceId" | "sdk">) =>
    send(
      `${base}${path}?key=${encodeURIComponent(clientKey)}`,
      JSON.stringify({ instanceId, sdk: SDK_NAME, ...report }),
    );

  return {
    count(flag, variant) {
      const id = `${flag}\u0000${variant ?? ""}`;
      const entry = counts.get(id);
      if (entry) entry.count++;
      else if (counts.size < MAX_PAIRS) counts.set(id, { flag, variant: variant ?? null, count: 1 });
      else dropped++;
    },
    ack(version) {
      post<AckReport>(ACK_PATH, { acks: [{ version, appliedAt: Date.now() }] });
    },
    flush() {
      if (!counts.size && !dropped) return;
      const end = Date.now();
      post<MetricsReport>(METRICS_PATH, {
        start,
        end,
        evaluations: [...counts.values()],
        ...(dropped ? { dropped } : {}),
      });
      counts = new Map();
      dropped = 0;
      start = end;
    },
  };
}
