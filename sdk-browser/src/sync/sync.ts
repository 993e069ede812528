/**
 * @module How fresh data reaches the client: a stream when one is wanted and available, otherwise polling
 * (with `ETag`). `start`/`stop` are driven by page visibility; starting again catches up at once.
 */
import type { ConnectionStatus } from "../client/types.js";
import { openStream } from "./stream.js";

export interface Sync {
  start(): void;
  stop(): void;
  /** Fetch now (poll, catch up, or refetch after a patch that did not fit). */
  refresh(): Promise<void>;
}

export interface SyncOptions {
  /** One fetch: resolves with the status it implies (200/304 → ready; failure → stale). */
  fetchOnce(): Promise<ConnectionStatus>;
  pollIntervalMs: number;
  status(status: ConnectionStatus): void;
  /** Stream URL builder (called at each connect, so it carries the current version); none → poll only. */
  streamUrl?: () => string;
  put?(data: unknown): void;
  /** Returns false when the patch does not apply to the rules held: the sync then refetches. */
  patch?(data: unknown): boolean;
}

export function createSync(o: SyncOptions): Sync {
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
  const poll = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) void refresh().then(() => running && !closeStream && poll());
    }, o.pollIntervalMs);
  };
  const stopStream = () => {
    closeStream?.();
    closeStream = undefined;
  };
  const connect = () => {
    closeStream = openStream(o.streamUrl!(), {
      open: () => o.status("ready"),
      put: (data) => o.put?.(data),
      patch: (data) => {
        if (!o.patch?.(data)) void refresh();
      },
      fail(why) {
        o.status("stale");
        if (!running || why === "retrying") return;
        stopStream();
        if (why === "closed") {
          streamFailed = true; // the server refused the stream: poll until the page is shown again
          void refresh();
          poll();
        } else connect();
      },
    });
  };

  return {
    refresh,
    start() {
      if (running) return;
      running = true;
      if (o.streamUrl && !streamFailed && typeof EventSource !== "undefined") connect();
      else {
        void refresh();
        poll();
      }
    },
    stop() {
      running = false;
      streamFailed = false;
      stopStream();
      clearTimeout(timer);
    },
  };
}
