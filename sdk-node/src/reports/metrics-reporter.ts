/**
 * @module Sends the evaluation counts (`POST /sdk/v1/metrics`) every flush interval and on close. A failed
 * send puts the counts back (within the counter's bound), so a short outage loses nothing and a long one
 * costs bounded memory and a `dropped` count.
 */
import { type MetricsReport, SDK_PATHS } from "@switchyard/core";
import { type HttpConfig, postReport } from "../transport/http.js";
import { SDK_NAME } from "../version.js";
import type { EvaluationCounter } from "./evaluation-counter.js";
import { PeriodicReporter, type ReporterOptions } from "./periodic-reporter.js";

export type MetricsReporterOptions = ReporterOptions;

export class MetricsReporter extends PeriodicReporter {
  constructor(
    private readonly http: HttpConfig,
    private readonly counter: EvaluationCounter,
    options: ReporterOptions,
  ) {
    super(options);
  }

  protected sendPending(signal: AbortSignal): Promise<void> | undefined {
    if (this.counter.isEmpty) return undefined;
    const window = this.counter.drain();
    const report: MetricsReport = {
      instanceId: this.http.instanceId,
      sdk: SDK_NAME,
      start: window.start,
      end: window.end,
      evaluations: window.evaluations,
    };
    if (window.dropped > 0) report.dropped = window.dropped;
    return postReport(this.http, SDK_PATHS.metrics, report, signal).catch((error: unknown) => {
      this.counter.restore(window);
      this.reportError(error, signal);
    });
  }
}
