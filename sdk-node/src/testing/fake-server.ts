/**
 * @module A tiny scriptable Switchyard server on 127.0.0.1 (node:http) for the SDK's transport tests:
 * serves a ruleset with ETag/304, holds SSE streams the test writes raw bytes to, and records reports.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Ruleset } from "@switchyard/core";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body?: unknown;
}

export class FakeServer {
  ruleset: Ruleset | undefined;
  /** Status for `GET /sdk/v1/ruleset` and the stream when not 200 (e.g. 503 for an outage). */
  rulesetStatus = 200;
  streamStatus = 200;
  reportStatus = 202;
  /** Sent as `Retry-After` (seconds) with a non-200 ruleset answer. */
  retryAfterSeconds: number | undefined;
  /** Send the held ruleset as a `put` when a stream connects (unless the client already holds it). */
  putOnConnect = true;
  readonly requests: RecordedRequest[] = [];
  readonly streams = new Set<ServerResponse>();
  url = "";
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(ruleset?: Ruleset, port = 0): Promise<FakeServer> {
    const fake = new FakeServer();
    fake.ruleset = ruleset;
    await new Promise<void>((resolve, reject) => {
      fake.server.once("error", reject);
      fake.server.listen(port, "127.0.0.1", () => resolve());
    });
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** Requests to one path. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Reports posted to a path (parsed bodies). */
  reports<T>(path: string): T[] {
    return this.to(path).map((r) => r.body as T);
  }

  /** Writes raw text to every open stream. */
  write(raw: string): void {
    for (const stream of this.streams) stream.write(raw);
  }

  sendEvent(event: string, data: unknown, id?: number): void {
    this.write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends every open stream (the server going away for a moment). */
  endStreams(): void {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  /** Writes `lastWords`, then cuts every open stream's connection abruptly (no proper end of the response). */
  async dropStreams(lastWords = ""): Promise<void> {
    const streams = [...this.streams];
    this.streams.clear();
    await Promise.all(
      streams.map((stream) => new Promise<void>((written) => stream.write(lastWords, () => written()))),
    );
    for (const stream of streams) stream.socket?.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const record: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers };
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      // Like the real server (server/src/sdk/routes.ts): reports over 1 MiB are refused.
      if (text.length > 1024 * 1024) {
        this.requests.push({ ...record, body: { refused: text.length } });
        res.writeHead(413).end();
        return;
      }
      record.body = JSON.parse(text || "null");
    }
    this.requests.push(record);
    if (path === "/sdk/v1/ruleset") return this.serveRuleset(req, res);
    if (path === "/sdk/v1/stream") return this.serveStream(req, res);
    if (path === "/sdk/v1/metrics" || path === "/sdk/v1/ack" || path === "/sdk/v1/shadow") {
      res.writeHead(this.reportStatus).end();
      return;
    }
    res.writeHead(404).end();
  }

  private serveRuleset(req: IncomingMessage, res: ServerResponse): void {
    if (this.rulesetStatus !== 200 || !this.ruleset) {
      const headers =
        this.retryAfterSeconds === undefined ? {} : { "retry-after": String(this.retryAfterSeconds) };
      res.writeHead(this.ruleset ? this.rulesetStatus : 404, headers).end();
      return;
    }
    // The real server's shape (server/src/rulesets/publish.ts): audience, environment, version.
    const etag = `"s-${this.ruleset.environment}-${this.ruleset.version}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json", etag }).end(JSON.stringify(this.ruleset));
  }

  private serveStream(req: IncomingMessage, res: ServerResponse): void {
    if (this.streamStatus !== 200) {
      res.writeHead(this.streamStatus).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    this.streams.add(res);
    res.on("close", () => this.streams.delete(res));
    const held = req.headers["last-event-id"];
    if (this.putOnConnect && this.ruleset && held !== String(this.ruleset.version)) {
      res.write(`id: ${this.ruleset.version}\nevent: put\ndata: ${JSON.stringify(this.ruleset)}\n\n`);
    }
  }
}

type Maybe<T> = T | undefined | false;

/** Polls `check` (sync or async) until it returns a truthy value (bounded: throws after `timeoutMs`). */
export async function until<T>(
  check: () => Maybe<T> | Promise<Maybe<T>>,
  timeoutMs = 5_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the next payload of a client event (bounded). */
export function nextEvent<T>(
  on: (listener: (payload: T) => void) => () => void,
  timeoutMs = 5_000,
  what = "event",
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const stop = on((payload) => {
      clearTimeout(timer);
      stop();
      resolve(payload);
    });
  });
}
