/**
 * @module Delivery confirmations: each applied ruleset version is acknowledged (`POST /sdk/v1/ack`) with the
 * instance id, so the server can tell who holds a kill switch. Acks are batched over a short delay, one
 * request at a time, and bounded: during an outage only the most recent versions are kept.
 */
import { type AckEntry, type AckReport, SDK_PATHS } from "@switchyard/core";
import { type HttpConfig, postReport } from "../transport/http.js";
import { SDK_NAME } from "../version.js";

/** After a failed send, wait this long before trying again (the server is likely away). */
const RETRY_AFTER_FAILURE_MS = 5_000;

export interface AckQueueOptions {
  /** Wait this long after an applied version before sending, to batch bursts. */
  delayMs: number;
  /** Most acks held while the server is away; older ones are dropped first. */
  maxPending: number;
  onError: (error: Error) => void;
}

export class AckQueue {
  private pending: AckEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private readonly closer = new AbortController();
  private closed = false;

  constructor(
    private readonly http: HttpConfig,
    private readonly options: AckQueueOptions,
  ) {}

  add(version: number, appliedAt: number): void {
    if (this.closed) return;
    this.pending.push({ version, appliedAt });
    if (this.pending.length > this.options.maxPending) this.pending.shift();
    this.schedule(this.options.delayMs);
  }

  get size(): number {
    return this.pending.length;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.sending || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, delayMs);
    this.timer.unref();
  }

  /** Sends what is pending now (used on flush and close). */
  send(signal: AbortSignal = this.closer.signal): Promise<void> {
    if (this.sending) return this.sending;
    if (this.pending.length === 0) return Promise.resolve();
    const acks = this.pending;
    this.pending = [];
    const report: AckReport = { instanceId: this.http.instanceId, sdk: SDK_NAME, acks };
    let retryMs = this.options.delayMs;
    this.sending = postReport(this.http, SDK_PATHS.ack, report, signal)
      .catch((error: unknown) => {
        // Keep them for the next attempt, newest last, within the bound.
        this.pending = [...acks, ...this.pending].slice(-this.options.maxPending);
        retryMs = Math.max(this.options.delayMs, RETRY_AFTER_FAILURE_MS);
        if (!signal.aborted) this.options.onError(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        this.sending = undefined;
        // Versions applied while this request was in flight go out next.
        if (this.pending.length > 0) this.schedule(retryMs);
      });
    return this.sending;
  }

  /** Stops the timer and makes one last attempt, bounded by `signal`. */
  async close(signal: AbortSignal): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    await this.send(signal);
    this.closer.abort();
  }
}
