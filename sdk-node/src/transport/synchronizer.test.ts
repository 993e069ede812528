import { afterEach, describe, expect, it } from "vitest";
import { FakeServer, until } from "../testing/fake-server.js";
import { booleanFlag, delta, ruleset } from "../testing/rulesets.js";
import type { HttpConfig } from "./http.js";
import { Synchronizer, type SyncOptions, type SyncTarget } from "./synchronizer.js";

/** Records what the synchronizer feeds, holding versions like the client would. */
class RecordingTarget implements SyncTarget {
  held: number | undefined;
  heldEtag: string | undefined;
  rulesets: unknown[] = [];
  deltas: unknown[] = [];
  notModifiedCount = 0;
  ups = 0;
  downs: Error[] = [];
  errors: Error[] = [];
  deltaAnswer: "applied" | "ignored" | "refetch" = "applied";
  version = () => this.held;
  etag = () => this.heldEtag;
  acceptRuleset(body: unknown, etag: string | undefined) {
    this.rulesets.push(body);
    this.held = (body as { version: number }).version;
    this.heldEtag = etag;
  }
  acceptDelta(body: unknown) {
    this.deltas.push(body);
    if (this.deltaAnswer === "applied") this.held = (body as { version: number }).version;
    return this.deltaAnswer;
  }
  notModified() {
    this.notModifiedCount++;
  }
  connectionUp() {
    this.ups++;
  }
  connectionDown(error: Error) {
    this.downs.push(error);
  }
  reportError(error: Error) {
    this.errors.push(error);
  }
  debug() {}
}

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

async function setup(
  options: Partial<SyncOptions> = {},
  initial = ruleset(1, [booleanFlag("a", true)]),
  prepare: (server: FakeServer) => void = () => {},
) {
  const server = await FakeServer.start(initial);
  running.push({ stop: () => server.close() });
  prepare(server);
  const target = new RecordingTarget();
  const http: HttpConfig = {
    baseUrl: server.url,
    sdkKey: "srv-key",
    instanceId: "test-instance",
    fetch: globalThis.fetch,
    requestTimeoutMs: 2_000,
  };
  const sync = new Synchronizer(
    http,
    {
      streaming: true,
      pollIntervalMs: 50,
      reconnectMinMs: 20,
      reconnectMaxMs: 100,
      streamIdleTimeoutMs: 5_000,
      maxMessageChars: 1_000_000,
      ...options,
    },
    target,
  );
  running.push(sync);
  sync.start();
  return { server, target, sync };
}

describe("Synchronizer", () => {
  it("fetches once, then resumes the stream from the held version and applies puts and patches", async () => {
    const { server, target } = await setup();
    await until(() => server.streams.size === 1, 5_000, "stream");
    const [fetch] = server.to("/sdk/v1/ruleset");
    expect(fetch?.headers.authorization).toBe("Bearer srv-key");
    expect(fetch?.headers["x-switchyard-instance"]).toBe("test-instance");
    expect(fetch?.headers["x-switchyard-sdk"]).toMatch(/^sdk-node\//);
    expect(server.to("/sdk/v1/stream")[0]?.headers["last-event-id"]).toBe("1");
    expect(target.rulesets).toHaveLength(1);

    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("a", false, 2)] }), 2);
    server.sendEvent("ping", {});
    server.sendEvent("put", ruleset(3, [booleanFlag("a", true, 3)]), 3);
    await until(() => target.held === 3, 5_000, "put");
    expect(target.deltas).toHaveLength(1);
    expect(target.errors).toEqual([]);
  });

  it("reconnects after the stream ends, sending Last-Event-ID of what it now holds", async () => {
    const { server, target } = await setup();
    await until(() => server.streams.size === 1);
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("a", false, 2)] }), 2);
    await until(() => target.held === 2);
    server.endStreams();
    await until(() => server.to("/sdk/v1/stream").length === 2, 5_000, "reconnect");
    expect(server.to("/sdk/v1/stream")[1]?.headers["last-event-id"]).toBe("2");
  });

  it("sends If-None-Match and reports a 304 as not modified", async () => {
    const { server, target, sync } = await setup({ streaming: false, pollIntervalMs: 60_000 });
    await until(() => target.held === 1);
    await sync.refresh();
    expect(server.to("/sdk/v1/ruleset")[1]?.headers["if-none-match"]).toBe('"s-production-1"');
    expect(target.notModifiedCount).toBe(1);
    expect(target.rulesets).toHaveLength(1);
  });

  it("falls back to polling while the stream cannot be held, and stops polling once it can", async () => {
    const { server, target } = await setup({ pollIntervalMs: 30 });
    server.streamStatus = 503;
    server.endStreams();
    const polledBefore = server.to("/sdk/v1/ruleset").length;
    await until(() => server.to("/sdk/v1/ruleset").length >= polledBefore + 3, 5_000, "polls");
    server.ruleset = ruleset(7, [booleanFlag("a", false, 7)]);
    await until(() => target.held === 7, 5_000, "poll picks up change");
    expect(target.errors.some((e) => e.message.includes("503"))).toBe(true);
    expect(target.downs).toEqual([]);

    server.streamStatus = 200;
    await until(() => server.streams.size === 1, 5_000, "stream back");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const polls = server.to("/sdk/v1/ruleset").length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.to("/sdk/v1/ruleset").length).toBe(polls);
  });

  it("never reports the server down while the stream is refused but polls reach it", async () => {
    const { server, target } = await setup(
      { pollIntervalMs: 20, reconnectMinMs: 5, reconnectMaxMs: 20 },
      undefined,
      (s) => {
        s.streamStatus = 404;
      },
    );
    await until(() => server.to("/sdk/v1/stream").length >= 5, 5_000, "stream attempts");
    expect(target.downs).toEqual([]);
    const streamErrors = target.errors.filter((e) => /stream/.test(e.message));
    expect(streamErrors).toHaveLength(1);
    expect(streamErrors[0]?.message).toMatch(/404.*polling/);
    server.ruleset = ruleset(2, [booleanFlag("a", false, 2)]);
    await until(() => target.held === 2, 5_000, "a poll picks up the change");
  });

  it("still reports the server down when neither the stream nor a poll reaches it", async () => {
    const { server, target } = await setup({ pollIntervalMs: 20, reconnectMinMs: 5, reconnectMaxMs: 20 });
    await until(() => server.streams.size === 1);
    server.streamStatus = 503;
    server.rulesetStatus = 503;
    server.endStreams();
    await until(() => target.downs.length > 0, 5_000, "down");
    expect(target.downs[0]?.message).toMatch(/503/);
  });

  it("reports unreadable stream data, refetches, and keeps reading the stream", async () => {
    const { server, target } = await setup();
    await until(() => server.streams.size === 1);
    const fetches = server.to("/sdk/v1/ruleset").length;
    server.write("event: put\nid: 5\ndata: {not json\n\n");
    await until(() => target.errors.length === 1, 5_000, "error");
    expect(target.errors[0]?.message).toMatch(/not valid JSON/);
    await until(() => server.to("/sdk/v1/ruleset").length === fetches + 1, 5_000, "refetch");
    server.sendEvent("put", ruleset(6, [booleanFlag("a", true, 6)]), 6);
    await until(() => target.held === 6, 5_000, "later put");
    expect(server.to("/sdk/v1/stream")).toHaveLength(1);
  });

  it("refetches the full ruleset when a delta does not apply", async () => {
    const { server, target } = await setup();
    await until(() => server.streams.size === 1);
    target.deltaAnswer = "refetch";
    server.ruleset = ruleset(9, [booleanFlag("a", false, 9)]);
    server.sendEvent("patch", delta(4, 9, { upsert: [booleanFlag("a", false, 9)] }), 9);
    await until(() => target.held === 9, 5_000, "refetched");
  });

  it("treats a silent stream as dead and reconnects", async () => {
    const { server } = await setup({ streamIdleTimeoutMs: 100 });
    await until(() => server.to("/sdk/v1/stream").length >= 2, 5_000, "idle reconnect");
  });

  it("reports the server down when it cannot connect, and up again when it can", async () => {
    const { server, target } = await setup({ reconnectMinMs: 10, reconnectMaxMs: 40 });
    await until(() => server.streams.size === 1);
    const port = server.port;
    await server.close();
    await until(() => target.downs.length > 0, 5_000, "down");
    const upsBefore = target.ups;
    const again = await FakeServer.start(ruleset(4, [booleanFlag("a", false, 4)]), port);
    running.push({ stop: () => again.close() });
    await until(() => target.held === 4, 5_000, "caught up");
    expect(target.ups).toBeGreaterThan(upsBefore);
  });

  it("drops a connection that sends an oversized message and reconnects", async () => {
    const { server, target } = await setup({ maxMessageChars: 200 });
    await until(() => server.streams.size === 1);
    server.write(`event: put\ndata: ${"x".repeat(500)}\n\n`);
    await until(() => server.to("/sdk/v1/stream").length === 2, 5_000, "reconnect");
    expect(target.held).toBe(1);
  });

  it("waits as long as Retry-After asks when the server is overloaded", async () => {
    const { server } = await setup({ streaming: false, pollIntervalMs: 10, reconnectMaxMs: 5_000 });
    await until(() => server.to("/sdk/v1/ruleset").length >= 2, 5_000, "polling");
    server.rulesetStatus = 429;
    server.retryAfterSeconds = 2;
    const count = server.to("/sdk/v1/ruleset").length;
    await until(() => server.to("/sdk/v1/ruleset").length > count, 5_000, "the 429");
    const after429 = server.to("/sdk/v1/ruleset").length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Polling every 10 ms would have sent ~30 requests by now.
    expect(server.to("/sdk/v1/ruleset").length).toBeLessThanOrEqual(after429 + 1);
  });

  it("stops everything on stop(): no more requests afterwards", async () => {
    const { server, sync } = await setup({ pollIntervalMs: 10 });
    await until(() => server.streams.size === 1);
    await sync.stop();
    await until(() => server.streams.size === 0, 5_000, "stream closed");
    const count = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests.length).toBe(count);
  });
});
