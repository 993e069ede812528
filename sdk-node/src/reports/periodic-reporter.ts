/**
 * @module What every report the SDK sends in batches shares: a flush every interval (unref'd, so it never
 * keeps the process alive), one batch in flight at a time, and a close that stops the timer and sends what
 * is left within the caller's bound.
 */

export interface ReporterOptions {
  flushIntervalMs: number;
  onError: (error: Error) => void;
}

export abstract class PeriodicReporter {
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private readonly closer = new AbortController();

  constructor(protected readonly options: ReporterOptions) {}

  /** Sends what was gathered since the last batch; undefined when there is nothing to send. */
  protected abstract sendPending(signal: AbortSignal): Promise<void> | undefined;

  start(): void {
    if (this.timer || this.options.flushIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Sends what was gathered so far (nothing when there is nothing); one batch at a time. */
  flush(signal: AbortSignal = this.closer.signal): Promise<void> {
    if (this.sending) return this.sending;
    const sent = this.sendPending(signal);
    if (!sent) return Promise.resolve();
    this.sending = sent.finally(() => {
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

  protected reportError(error: unknown, signal: AbortSignal): Error {
    const reason = error instanceof Error ? error : new Error(String(error));
    if (!signal.aborted) this.options.onError(reason);
    return reason;
  }
}
