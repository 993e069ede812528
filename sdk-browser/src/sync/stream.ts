/**
 * @module One `EventSource` connection to `GET /sdk/v1/stream`, with a heartbeat watchdog: a stream that
 * stays silent for three heartbeats is reported dead (proxies can hold a socket open that carries nothing).
 */
import { HEARTBEAT_MS } from "@switchyard/core";

export interface StreamHandlers {
  open(): void;
  put(data: unknown): void;
  patch(data: unknown): void;
  /**
   * `retrying`: connection lost, the browser reconnects by itself (sending `Last-Event-ID`);
   * `closed`: the browser gave up (HTTP error status, wrong content type); `silent`: no heartbeat.
   */
  fail(why: "retrying" | "closed" | "silent"): void;
}

/** Opens the stream; returns a function that closes it. */
export function openStream(url: string, on: StreamHandlers, heartbeatMs = HEARTBEAT_MS): () => void {
  const source = new EventSource(url);
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const alive = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => on.fail("silent"), heartbeatMs * 3);
  };
  const listen = (event: string, handle: (data: unknown) => void) =>
    source.addEventListener(event, (message) => {
      alive();
      try {
        handle(JSON.parse((message as MessageEvent<string>).data));
      } catch {
        // unreadable event: keep the last good rules
      }
    });

  source.onopen = () => {
    alive();
    on.open();
  };
  source.onerror = () => on.fail(source.readyState === 2 ? "closed" : "retrying");
  listen("put", on.put);
  listen("patch", on.patch);
  listen("ping", () => {});
  alive();

  return () => {
    clearTimeout(watchdog);
    source.close();
  };
}
