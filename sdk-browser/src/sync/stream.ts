/**
 * @module One `EventSource` connection, with an optional heartbeat watchdog: a stream that stays silent for
 * three heartbeats is reported dead (proxies can hold a socket open that carries nothing).
 */
import { HEARTBEAT_MS } from "@switchyard/core";

export interface StreamHandlers {
  open(): void;
  /** Handlers by SSE event name (`put`, `patch`, `message`…), given the event's parsed `data`. */
  events: Record<string, (data: unknown) => void>;
  /**
   * `retrying`: connection lost, the browser reconnects by itself (sending `Last-Event-ID`);
   * `closed`: the browser gave up (HTTP error status, wrong content type); `silent`: no heartbeat.
   */
  fail(why: "retrying" | "closed" | "silent"): void;
}

/**
 * Opens the stream; returns a function that closes it. `heartbeatMs` 0: the server's heartbeats are SSE
 * comments, which `EventSource` does not surface, so silence says nothing and there is no watchdog.
 */
export function openStream(url: string, on: StreamHandlers, heartbeatMs = HEARTBEAT_MS): () => void {
  const source = new EventSource(url);
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const alive = () => {
    clearTimeout(watchdog);
    if (heartbeatMs) watchdog = setTimeout(() => on.fail("silent"), heartbeatMs * 3);
  };
  for (const event in on.events) {
    source.addEventListener(event, (message) => {
      alive();
      try {
        on.events[event]!(JSON.parse((message as MessageEvent<string>).data));
      } catch {
        // unreadable event: keep the last good data
      }
    });
  }

  source.onopen = () => {
    alive();
    on.open();
  };
  source.onerror = () => on.fail(source.readyState === 2 ? "closed" : "retrying");
  alive();

  return () => {
    clearTimeout(watchdog);
    source.close();
  };
}
