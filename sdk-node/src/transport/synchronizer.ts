/**
 * @module Keeps the client's ruleset current: one full fetch (with `ETag`), then the SSE stream resumed
 * from the held version (`Last-Event-ID`), reconnecting with jittered exponential backoff; while the stream
 * is down, polling with `ETag` keeps the rules fresh. Everything stops when `stop()` is called.
 */
import { Backoff } from "./backoff.js";
import { fetchRuleset, type HttpConfig, HttpStatusError } from "./http.js";
import type { SseMessage } from "./sse-parser.js";
import { readStream, StreamTruncatedError } from "./stream.js";

/** What the synchronizer feeds: the client's ruleset holder. It must never throw. */
export interface SyncTarget {
  /** Version of the ruleset held, if any (sent as `Last-Event-ID`). */
  version(): number | undefined;
  etag(): string | undefined;
  /**
   * A full ruleset arrived (not yet validated). `heldWhenAsked` is the version held when the request was
   * sent (fetches only): if the held version moved meanwhile, an older answer is stale and must not win.
   */
  acceptRuleset(body: unknown, etag: string | undefined, heldWhenAsked?: number): void;
  /** The server answered 304: what is held is current. */
  notModified(): void;
  /** A delta arrived. `refetch`: it does not apply to what is held; fetch the full ruleset. */
  acceptDelta(body: unknown): "applied" | "ignored" | "refetch";
  /** The server was reached. */
  connectionUp(): void;
  /** The server could not be reached (or refused the key). */
  connectionDown(error: Error): void;
  /** Something arrived that could not be used (bad JSON, unknown shape). */
  reportError(error: Error): void;
  debug(message: string): void;
}

export interface SyncOptions {
  streaming: boolean;
  pollIntervalMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  streamIdleTimeoutMs: number;
  maxMessageChars: number;
}

export class Synchronizer {
  private readonly closer = new AbortController();
  private readonly backoff: Backoff;
  private running: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private streamOpen = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryAfter = 0;
  /** Whether the last ruleset fetch got an answer from the server. */
  private lastFetchReached = false;
  /** A refused stream is reported once per episode (until it is held again), not on every attempt. */
  private streamRefusalReported = false;

  constructor(
    private readonly http: HttpConfig,
    private readonly options: SyncOptions,
    private readonly target: SyncTarget,
  ) {
    this.backoff = new Backoff({ initialMs: options.reconnectMinMs, maxMs: options.reconnectMaxMs });
  }

  private get stopped(): boolean {
    return this.closer.signal.aborted;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops streaming and polling, aborting requests in flight; resolves when all of it has ended. */
  async stop(): Promise<void> {
    this.closer.abort(new Error("client closed"));
    clearTimeout(this.pollTimer);
    await this.running;
    await this.refreshing;
  }

  /** Fetches the full ruleset now; concurrent calls share one request (plus one more if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.fetchOnce();
      } while (this.refreshAgain && !this.stopped);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async run(): Promise<void> {
    await this.refresh();
    if (!this.options.streaming) {
      this.schedulePoll();
      return;
    }
    while (!this.stopped) {
      await this.holdStream();
      if (this.stopped) return;
      this.schedulePoll();
      await this.sleep(Math.max(this.backoff.next(), this.takeRetryAfter()));
    }
  }

  private async holdStream(): Promise<void> {
    const version = this.target.version();
    let garbled = false;
    try {
      await readStream(this.http, {
        lastEventId: version === undefined ? undefined : String(version),
        idleTimeoutMs: this.options.streamIdleTimeoutMs,
        maxMessageChars: this.options.maxMessageChars,
        signal: this.closer.signal,
        onOpen: () => {
          this.streamOpen = true;
          this.streamRefusalReported = false;
          clearTimeout(this.pollTimer);
          this.pollTimer = undefined;
          this.target.connectionUp();
        },
        onMessage: (message) => {
          this.backoff.reset();
          this.onMessage(message);
        },
        onRetryHint: (ms) => this.backoff.setInitialMs(ms),
        onUnknownField: (line) => {
          if (garbled) return;
          garbled = true; // once per connection: a garbling proxy would otherwise flood the error event
          this.target.reportError(
            new Error(`stream sent a line that is no SSE field: ${JSON.stringify(line.slice(0, 80))}`),
          );
        },
      });
      this.target.debug("stream ended by the server; reconnecting");
    } catch (error) {
      if (this.stopped) return;
      const reason = asError(error);
      this.noteRetryAfter(reason);
      if (reason instanceof StreamTruncatedError) this.target.reportError(reason);
      else if (this.streamOpen) this.target.debug(`stream lost: ${reason.message}`);
      else await this.streamRefused(reason);
    } finally {
      this.streamOpen = false;
    }
  }

  /**
   * The stream could not be opened. That alone does not mean the server is unreachable (a proxy may block
   * Server-Sent Events while plain requests pass), so a fetch decides: it reports the connection up or down
   * itself, and when it got through the client is current by polling and stays ready.
   */
  private async streamRefused(reason: Error): Promise<void> {
    await this.refresh();
    if (this.stopped || !this.lastFetchReached) return;
    const message = `stream unavailable (${reason.message}); polling every ${this.options.pollIntervalMs} ms`;
    if (this.streamRefusalReported) return this.target.debug(message);
    this.streamRefusalReported = true;
    this.target.reportError(new Error(message));
  }

  private onMessage(message: SseMessage): void {
    if (message.event === "ping") return;
    if (message.event !== "put" && message.event !== "patch") {
      this.target.debug(`ignoring stream event '${message.event}'`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(message.data);
    } catch {
      this.target.reportError(
        new Error(`stream '${message.event}' event (id ${message.id}) is not valid JSON`),
      );
      void this.refresh();
      return;
    }
    if (message.event === "put") this.target.acceptRuleset(body, undefined);
    else if (this.target.acceptDelta(body) === "refetch") void this.refresh();
  }

  private async fetchOnce(): Promise<void> {
    const heldWhenAsked = this.target.version();
    try {
      const response = await fetchRuleset(this.http, this.target.etag(), this.closer.signal);
      if (this.stopped) return;
      this.lastFetchReached = true;
      this.target.connectionUp();
      if (response.status === "ok")
        this.target.acceptRuleset(response.body, response.etag, heldWhenAsked ?? -1);
      else this.target.notModified();
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof SyntaxError) {
        this.lastFetchReached = true;
        this.target.connectionUp();
        this.target.reportError(new Error(`ruleset response is not valid JSON: ${error.message}`));
        return;
      }
      const reason = asError(error);
      this.lastFetchReached = false;
      this.noteRetryAfter(reason);
      this.target.connectionDown(reason);
    }
  }

  /** Polls while the stream is not held (or always, without streaming). */
  private schedulePoll(): void {
    if (this.stopped || this.pollTimer || this.streamOpen) return;
    const delay = Math.max(this.options.pollIntervalMs, this.takeRetryAfter());
    this.pollTimer = setTimeout(async () => {
      await this.refresh();
      this.pollTimer = undefined;
      this.schedulePoll();
    }, delay);
    this.pollTimer.unref();
  }

  private noteRetryAfter(error: Error): void {
    if (error instanceof HttpStatusError && error.retryAfterMs !== undefined) {
      this.retryAfter = Math.min(error.retryAfterMs, this.options.reconnectMaxMs);
    }
  }

  private takeRetryAfter(): number {
    const ms = this.retryAfter;
    this.retryAfter = 0;
    return ms;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.closer.signal;
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

function asError(error: unknown): Error {
  if (error instanceof Error) {
    // fetch wraps the real cause ("ECONNREFUSED") in a bare "fetch failed".
    const cause = (error as { cause?: unknown }).cause;
    if (error.message === "fetch failed" && cause instanceof Error) {
      return new Error(`fetch failed: ${cause.message}`, { cause });
    }
    return error;
  }
  return new Error(String(error));
}
