/**
 * @module An incremental Server-Sent Events parser (WHATWG HTML, "event stream interpretation"): bytes in,
 * whole messages out. A message is dispatched only at its terminating blank line, so an event cut off by a
 * dropped connection is never delivered half-read.
 */

export interface SseMessage {
  /** `event:` field, `"message"` when absent. */
  event: string;
  /** `data:` lines joined with `\n`. */
  data: string;
  /** Last `id:` seen on the stream so far (the spec's "last event ID"), if any. */
  id: string | undefined;
}

export interface SseParserOptions {
  onMessage: (message: SseMessage) => void;
  /** Server asked for a new reconnection delay (`retry:` field), in milliseconds. */
  onRetry?: (delayMs: number) => void;
  /** Largest message (or unterminated line) kept in memory, in characters; beyond it `push` throws. */
  maxMessageChars?: number;
  /**
   * A line that is no SSE field (`event`, `data`, `id`, `retry`) nor a comment. The spec says to ignore it,
   * and it is ignored; but a stream that sends one is not speaking the protocol, which is worth knowing.
   */
  onUnknownField?: (line: string) => void;
}

export class SseMessageTooLargeError extends Error {
  constructor(limit: number) {
    super(`stream message exceeds ${limit} characters`);
    this.name = "SseMessageTooLargeError";
  }
}

const DEFAULT_MAX_MESSAGE_CHARS = 64 * 1024 * 1024;

/**
 * Feed chunks with {@link SseParser.push}; messages come out through `onMessage`.
 * @example
 * const parser = new SseParser({ onMessage: (m) => console.log(m.event, m.data) });
 * parser.push(new TextEncoder().encode("event: put\ndata: {}\n\n"));
 */
export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private readonly maxChars: number;
  /** Text received after the last line break. */
  private pending = "";
  /** A chunk ended in `\r`: a `\n` opening the next chunk belongs to the same line break. */
  private skipLeadingLf = false;
  private firstChunk = true;
  private eventType = "";
  private dataLines: string[] = [];
  private dataChars = 0;
  private lastEventId: string | undefined;

  constructor(private readonly options: SseParserOptions) {
    this.maxChars = options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS;
  }

  /** The id to send as `Last-Event-ID` when reconnecting. */
  get lastId(): string | undefined {
    return this.lastEventId;
  }

  /**
   * What the stream has left half-received (fields read, or a line begun, without the blank line that
   * dispatches them), described for an error message; undefined when it ended on a message boundary.
   */
  unfinished(): string | undefined {
    if (this.pending === "" && this.eventType === "" && this.dataLines.length === 0) return undefined;
    return `an unfinished '${this.eventType || "message"}' event`;
  }

  push(chunk: Uint8Array): void {
    let text = this.decoder.decode(chunk, { stream: true });
    if (this.firstChunk && text.length > 0) {
      this.firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.consume(text);
  }

  private consume(text: string): void {
    let start = 0;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = this.pending + text.slice(start, i);
      this.pending = "";
      if (code === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
      this.processLine(line);
    }
    if (start < text.length) {
      this.pending += text.slice(start);
      if (this.pending.length + this.dataChars > this.maxChars) {
        this.pending = "";
        throw new SseMessageTooLargeError(this.maxChars);
      }
    }
  }

  private processLine(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.dataChars += value.length + 1;
        if (this.dataChars > this.maxChars) {
          this.resetMessage();
          throw new SseMessageTooLargeError(this.maxChars);
        }
        this.dataLines.push(value);
        break;
      case "id":
        if (!value.includes("\u0000")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.options.onRetry?.(Number(value));
        break;
      default:
        this.options.onUnknownField?.(line); // and otherwise ignored, as the spec says
        break;
    }
  }

  private dispatch(): void {
    if (this.dataLines.length === 0) {
      this.resetMessage();
      return;
    }
    const message: SseMessage = {
      event: this.eventType || "message",
      data: this.dataLines.join("\n"),
      id: this.lastEventId,
    };
    this.resetMessage();
    this.options.onMessage(message);
  }

  private resetMessage(): void {
    this.eventType = "";
    this.dataLines = [];
    this.dataChars = 0;
  }
}
