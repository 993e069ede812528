import { describe, expect, it } from "vitest";
import { type SseMessage, SseMessageTooLargeError, SseParser } from "./sse-parser.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function parse(chunks: (string | Uint8Array)[], maxMessageChars?: number) {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const unknown: string[] = [];
  const parser = new SseParser({
    onMessage: (m) => messages.push(m),
    onRetry: (ms) => retries.push(ms),
    onUnknownField: (line) => unknown.push(line),
    maxMessageChars,
  });
  for (const chunk of chunks) parser.push(typeof chunk === "string" ? bytes(chunk) : chunk);
  return { messages, retries, unknown, parser };
}

describe("SseParser", () => {
  it("reports a line that is no SSE field, and still ignores it as the spec says", () => {
    const { messages, unknown } = parse(["\u0000\u0001garbage\nevent: put\nbogus: 1\ndata: {}\n\n"]);
    expect(unknown).toEqual(["\u0000\u0001garbage", "bogus: 1"]);
    expect(messages).toEqual([{ event: "put", data: "{}", id: undefined }]);
  });

  it("tells what a stream that ends mid-event leaves unfinished", () => {
    expect(parse(["event: put\ndata: {}\n\n"]).parser.unfinished()).toBeUndefined();
    expect(parse([": heartbeat\n"]).parser.unfinished()).toBeUndefined();
    expect(parse(['event: patch\nid: 2\ndata: {"from']).parser.unfinished()).toBe(
      "an unfinished 'patch' event",
    );
    expect(parse(["data: {}\n"]).parser.unfinished()).toBe("an unfinished 'message' event");
  });

  it("reads event, id and multi-line data", () => {
    const { messages, parser } = parse(['event: put\nid: 7\ndata: {"a":\ndata: 1}\n\n']);
    expect(messages).toEqual([{ event: "put", id: "7", data: '{"a":\n1}' }]);
    expect(parser.lastId).toBe("7");
  });

  it("joins messages split at every possible byte boundary", () => {
    const text = "event: patch\r\nid: 3\r\ndata: héllo\r\n\r\n: comment\n\nevent: ping\rdata: {}\r\r";
    const all = bytes(text);
    for (let cut = 1; cut < all.length; cut++) {
      const { messages } = parse([all.slice(0, cut), all.slice(cut)]);
      expect(messages).toEqual([
        { event: "patch", id: "3", data: "héllo" },
        { event: "ping", id: "3", data: "{}" },
      ]);
    }
  });

  it("defaults the event name to message and ignores unknown fields and comments", () => {
    const { messages } = parse([": hi\nfoo: bar\ndata\n\n"]);
    expect(messages).toEqual([{ event: "message", id: undefined, data: "" }]);
  });

  it("drops a message that never gets its blank line (a truncated event)", () => {
    const { messages } = parse(['event: put\nid: 9\ndata: {"flags":[']);
    expect(messages).toEqual([]);
  });

  it("does not dispatch events without data", () => {
    const { messages } = parse(["event: put\nid: 2\n\n"]);
    expect(messages).toEqual([]);
  });

  it("reports retry hints and ignores bad ones", () => {
    const { retries } = parse(["retry: 1500\nretry: soon\n\n"]);
    expect(retries).toEqual([1500]);
  });

  it("strips a leading byte-order mark", () => {
    const { messages } = parse(["\ufeffdata: x\n\n"]);
    expect(messages).toEqual([{ event: "message", id: undefined, data: "x" }]);
  });

  it("refuses a message larger than the bound instead of growing without limit", () => {
    expect(() => parse([`data: ${"x".repeat(100)}\n\n`], 50)).toThrow(SseMessageTooLargeError);
    expect(() => parse(["x".repeat(100)], 50)).toThrow(SseMessageTooLargeError);
  });

  it("survives binary garbage without throwing", () => {
    const garbage = new Uint8Array(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    const { messages } = parse([garbage, "\n\nevent: ping\ndata: {}\n\n"]);
    expect(messages.at(-1)).toMatchObject({ event: "ping", data: "{}" });
  });
});
