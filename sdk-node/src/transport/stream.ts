/**
 * @module One connection to the server's SSE stream (`GET /sdk/v1/stream`), read with fetch's body stream
 * and the SDK's own parser. Resolves when the server ends the stream; rejects on a bad status, a network
 * error, an oversized message, an event cut off by the end of the connection, or silence longer than the
 * idle timeout (three missed heartbeats).
 */
import { SDK_PATHS } from "@switchyard/core";
import { type HttpConfig, HttpStatusError, retryAfterMs, sdkHeaders } from "./http.js";
import { type SseMessage, SseParser } from "./sse-parser.js";

export interface StreamOptions {
  /** Sent as `Last-Event-ID`: the ruleset version the SDK holds, so the server can answer with deltas. */
  lastEventId: string | undefined;
  /** No bytes (not even a heartbeat) for this long: the connection is dead. */
  idleTimeoutMs: number;
  maxMessageChars: number;
  signal: AbortSignal;
  /** The server accepted the connection (HTTP 200). */
  onOpen: () => void;
  onMessage: (message: SseMessage) => void;
  onRetryHint?: (delayMs: number) => void;
  /** A line that is no SSE field (ignored, as the spec says, but a sign of a garbled stream). */
  onUnknownField?: (line: string) => void;
}

export class StreamIdleError extends Error {
  constructor(ms: number) {
    super(`stream silent for ${ms} ms`);
    this.name = "StreamIdleError";
  }
}

/** The connection ended (or broke) in the middle of an event: that event is lost. */
export class StreamTruncatedError extends Error {
  constructor(unfinished: string, cause?: unknown) {
    super(
      `stream ended with ${unfinished}; it was dropped${cause instanceof Error ? ` (${cause.message})` : ""}`,
      {
        cause,
      },
    );
    this.name = "StreamTruncatedError";
  }
}

export async function readStream(config: HttpConfig, options: StreamOptions): Promise<void> {
  const controller = new AbortController();
  const abort = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) abort();
  options.signal.addEventListener("abort", abort, { once: true });

  let lastActivity = Date.now();
  let idle: NodeJS.Timeout | undefined;
  const watch = (delay: number) => {
    idle = setTimeout(() => {
      const silentFor = Date.now() - lastActivity;
      if (silentFor >= options.idleTimeoutMs) controller.abort(new StreamIdleError(options.idleTimeoutMs));
      else watch(options.idleTimeoutMs - silentFor);
    }, delay);
    idle.unref();
  };

  try {
    const headers = sdkHeaders(config);
    headers.accept = "text/event-stream";
    headers["cache-control"] = "no-cache";
    if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
    watch(config.requestTimeoutMs); // connecting: bounded like any request
    const response = await config.fetch(config.baseUrl + SDK_PATHS.stream, {
      headers,
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new HttpStatusError(
        response.status,
        SDK_PATHS.stream,
        retryAfterMs(response.headers.get("retry-after")),
      );
    }
    lastActivity = Date.now();
    clearTimeout(idle);
    watch(options.idleTimeoutMs);
    options.onOpen();

    const parser = new SseParser({
      onMessage: options.onMessage,
      onRetry: options.onRetryHint,
      onUnknownField: options.onUnknownField,
      maxMessageChars: options.maxMessageChars,
    });
    await pump(response.body, parser, controller.signal, () => {
      lastActivity = Date.now();
    });
  } catch (error) {
    // An abort surfaces as a generic AbortError; report why we aborted instead.
    if (controller.signal.aborted && controller.signal.reason instanceof Error)
      throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(idle);
    options.signal.removeEventListener("abort", abort);
  }
}

/** Feeds the body to the parser until it ends; an event cut off by the end is an error, not a silent loss. */
async function pump(
  body: ReadableStream<Uint8Array>,
  parser: SseParser,
  signal: AbortSignal,
  onBytes: () => void,
): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        // Our own abort (close, idle) is reported as such by the caller, not as a truncation.
        const unfinished = signal.aborted ? undefined : parser.unfinished();
        throw unfinished ? new StreamTruncatedError(unfinished, error) : error;
      }
      if (chunk.done) {
        const unfinished = parser.unfinished();
        if (unfinished) throw new StreamTruncatedError(unfinished);
        return;
      }
      onBytes();
      parser.push(chunk.value);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
