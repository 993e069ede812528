/**
 * @module Sends the evaluation counts (`POST /sdk/v1/metrics`) every flush interval and on close. A failed
 * send puts the counts back (within the counter's bound), so a short outage loses nothing and a long one
 * costs bounded memory and a `dropped` count.
 */
import { type MetricsReport, SDK_PATHS } from "@switchyard/core";
import { type HttpConfig, postReport } from "../transport/http.js";
import { SDK_NAME } from "../version.js";
import type { EvaluationCounter } from "./evaluation-counter.js";

export interface MetricsReporterOptions {
  flushIntervalMs: number;
  onError: (error: Error) => void;
}

export class MetricsReporter {
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private readonly closer = new AbortController();

  constructor(
    private readonly http: HttpConfig,
    private readonly counter: EvaluationCounter,
    private readonly options: MetricsReporterOptions,
  ) {}

  start(): void {
    if (this.timer || this.options.flushIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Sends the counts gathered so far (nothing when there are none). */
  flush(signal: AbortSignal = this.closer.signal): Promise<void> {
    if (this.sending) return this.sending;
    if (this.counter.isEmpty) return Promise.resolve();
    const window = this.counter.drain();
    const report: MetricsReport = {
      instanceId: this.http.instanceId,
      sdk: SDK_NAME,
      start: window.start,
      end: window.end,
      evaluations: window.evaluations,
    };
    if (window.dropped > 0) report.dropped = window.dropped;
    this.sending = postReport(this.http, SDK_PATHS.metrics, report, signal)
      .catch((error: unknown) => {
        this.counter.restore(window);
        if (!signal.aborted) this.options.onError(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        this.sending = undefined;
      });
    return this.sending;
  }

  /** Stops the interval and sends what is left, bounded by `signal`. */
  async close(signal: AbortSignal): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
    await this.flush(signal);
    this.closer.abort();
  }
}
