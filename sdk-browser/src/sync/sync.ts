/**
 * @module How fresh data reaches the client: a stream (`EventSource`) when one is wanted and available,
 * otherwise polling (with `ETag`). `start`/`stop` are driven by page visibility; starting again catches up at
 * once. A stream silent for three heartbeats is treated as dead (proxies can hold a socket open that carries
 * nothing); a stream the browser gave up on (HTTP error, wrong content type) falls back to polling.
 */
import { HEARTBEAT_MS } from "@switchyard/core";
import type { ConnectionStatus } from "../client/types.js";

export interface Sync {
  start(): void;
  stop(): void;
  /** Fetch now (poll, catch up, or refetch after a patch that did not fit, or on a change notice). */
  refresh(): Promise<void>;
}

export interface LiveStream {
  /** Called at each connect (so it can carry the current version); none yet → poll, and ask again later. */
  url(): string | undefined;
  /** Handlers by SSE event name, given the event's parsed `data`. */
  events: Record<string, (data: unknown) => void>;
  /**
   * Expected interval of heartbeat events (default `HEARTBEAT_MS`); 0 when the server's heartbeats are SSE
   * comments, which `EventSource` does not surface, so silence says nothing and there is no watchdog.
   */
  heartbeatMs?: number;
  /** Called at each (re)connect, after the status turns `ready`. */
  opened?(): void;
}

export interface SyncOptions {
  /** One fetch: resolves with the status it implies (200/304 → ready; failure → stale). */
  fetchOnce(): Promise<ConnectionStatus>;
  pollIntervalMs: number;
  status(status: ConnectionStatus): void;
  /** Live updates; without one the sync only polls. */
  stream?: LiveStream;
}

export function createSync(o: SyncOptions): Sync {
  const live = o.stream;
  let running = false;
  let streamFailed = false;
  let closeStream: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refresh = async () => {
    let status: ConnectionStatus = "stale";
    try {
      status = await o.fetchOnce();
    } catch {}
    o.status(status);
  };
  const streamUrl = () => (streamFailed || typeof EventSource === "undefined" ? undefined : live?.url());
  /** Not streaming: connect if a stream is available now, else poll again later. */
  const next = () => {
    if (!running || closeStream) return;
    const url = streamUrl();
    clearTimeout(timer);
    if (url) connect(url);
    else timer = setTimeout(() => running && void refresh().then(next), o.pollIntervalMs);
  };
  const stopStream = () => {
    closeStream?.();
    closeStream = undefined;
  };
  /** `retrying`: the browser reconnects by itself (sending `Last-Event-ID`); `closed`: it gave up. */
  const failed = (why: "retrying" | "closed" | "silent") => {
    o.status("stale");
    if (!running || why === "retrying") return;
    stopStream();
    if (why === "closed") {
      streamFailed = true; // the server refused the stream: poll until the page is shown again
      void refresh().then(next);
    } else next();
  };
  const connect = (url: string) => {
    const { events, heartbeatMs = HEARTBEAT_MS } = live!;
    const source = new EventSource(url);
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watchdog);
      if (heartbeatMs) watchdog = setTimeout(() => failed("silent"), heartbeatMs * 3);
    };
    for (const event in events) {
      source.addEventListener(event, (message) => {
        alive();
        try {
          events[event]!(JSON.parse((message as MessageEvent<string>).data));
        } catch {
          // unreadable event: keep the last good data
        }
      });
    }
    source.onopen = () => {
      alive();
      o.status("ready");
      live!.opened?.();
    };
    source.onerror = () => failed(source.readyState === 2 ? "closed" : "retrying");
    alive();
    closeStream = () => {
      clearTimeout(watchdog);
      source.close();
    };
  };

  return {
    refresh,
    start() {
      if (running) return;
      running = true;
      const url = streamUrl();
      if (url) connect(url);
      else void refresh().then(next);
    },
    stop() {
      running = false;
      streamFailed = false;
      stopStream();
      clearTimeout(timer);
    },
  };
}
