import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AckReport, MetricsReport, ShadowReport } from "@switchyard/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { readRulesetFile } from "../cache/ruleset-file.js";
import { FakeServer, nextEvent, until } from "../testing/fake-server.js";
import { booleanFlag, delta, ruleset } from "../testing/rulesets.js";
import type { ChangeEvent } from "./events.js";
import type { ClientOptions } from "./options.js";
import { createClient, type SwitchyardClient } from "./switchyard-client.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const dir = mkdtempSync(join(tmpdir(), "sdk-node-sync-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const v1 = ruleset(1, [booleanFlag("checkout", true), booleanFlag("other", true)]);

async function serve(rules = v1): Promise<FakeServer> {
  const server = await FakeServer.start(rules);
  cleanups.push(() => server.close());
  return server;
}

function client(server: { url: string }, options: Partial<ClientOptions> = {}): SwitchyardClient {
  const c = createClient({
    url: server.url,
    sdkKey: "srv-test",
    logger: silent,
    reconnectMinMs: 20,
    reconnectMaxMs: 100,
    pollIntervalMs: 50,
    instanceId: "instance-1",
    ackDelayMs: 1,
    ...options,
  });
  cleanups.push(() => c.close());
  return c;
}

describe("client and server", () => {
  it("gets ready from the server and follows a kill switch sent as a delta", async () => {
    const server = await serve();
    const c = client(server);
    await c.ready({ timeout: 5_000 });
    expect(c.boolean("checkout", { targetingKey: "u" }, false)).toBe(true);
    await until(() => server.streams.size === 1);

    const changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn));
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("checkout", false, 2)] }), 2);
    expect(await changed).toEqual({ flags: ["checkout"], version: 2 });
    expect(c.boolean("checkout", { targetingKey: "u" }, true)).toBe(false);
    expect(c.detail("checkout", {}, true).reason).toBe("DISABLED");
  });

  it("keeps the last good rules through garbage, truncated events, bad JSON and invalid rulesets, reporting each", async () => {
    const server = await serve();
    const c = client(server);
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    const errors: Error[] = [];
    c.on("error", (e) => errors.push(e));
    const reported = async (pattern: RegExp, what: string) => {
      await until(() => errors.some((e) => pattern.test(e.message)), 5_000, what);
      expect(c.version).toBe(1);
      expect(c.boolean("checkout", { targetingKey: "u" }, false)).toBe(true);
    };
    const connections = () => server.to("/sdk/v1/stream").length;

    server.write("\u0000\u0001garbage without structure\n\n");
    await reported(/line that is no SSE field: "\\u0000\\u0001garbage/, "garbage");
    server.write("event: put\ndata: ]]]\n\n");
    await reported(/'put' event .* is not valid JSON/, "bad JSON");

    // The server ends the response in the middle of an event, then the connection is cut mid-event.
    let before = connections();
    server.write('event: patch\nid: 2\ndata: {"formatVersion":1,"fromVersion":1,');
    server.endStreams();
    await reported(/stream ended with an unfinished 'patch' event; it was dropped/, "truncated by the end");
    await until(() => connections() > before && server.streams.size === 1, 5_000, "reconnect");
    before = connections();
    await server.dropStreams('event: put\nid: 3\ndata: {"formatVersion":1,');
    await reported(/unfinished 'put' event; it was dropped \(/, "truncated by a dropped connection");
    await until(() => connections() > before && server.streams.size === 1, 5_000, "reconnect");

    server.sendEvent("put", { formatVersion: 1, environment: "production", version: 3, flags: "nope" }, 3);
    await reported(/kept ruleset version 1: invalid ruleset/, "invalid ruleset");
    server.sendEvent("put", { ...ruleset(4, [booleanFlag("checkout", false, 4)]), formatVersion: 99 }, 4);
    await until(
      () => errors.filter((e) => /kept ruleset version 1/.test(e.message)).length >= 2,
      5_000,
      "format",
    );
    server.sendEvent("put", { ...v1, flags: [{ key: "checkout" }] }, 1);
    await until(
      () => errors.filter((e) => /kept ruleset version 1/.test(e.message)).length >= 3,
      5_000,
      "same version",
    );
    expect(c.boolean("checkout", { targetingKey: "u" }, false)).toBe(true);

    // The stream is still usable afterwards.
    const changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn));
    server.sendEvent("patch", delta(1, 5, { upsert: [booleanFlag("checkout", false, 5)] }), 5);
    expect((await changed).version).toBe(5);
  }, 20_000);

  it("refetches the full ruleset when a delta does not start from the version held", async () => {
    const server = await serve();
    const c = client(server);
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    server.ruleset = ruleset(8, [booleanFlag("checkout", false, 8), booleanFlag("other", true)]);
    const changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn));
    server.sendEvent("patch", delta(6, 8, { upsert: [booleanFlag("checkout", false, 8)] }), 8);
    expect(await changed).toEqual({ flags: ["checkout"], version: 8 });
  });

  it("goes stale in an outage, keeps answering, and is ready again once the server is back", async () => {
    const server = await serve();
    const c = client(server);
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    const port = server.port;
    const stale = nextEvent((fn) => c.on("stale", fn));
    await server.close();
    await stale;
    expect(c.status).toBe("stale");
    expect(c.boolean("checkout", { targetingKey: "u" }, false)).toBe(true);

    const back = await FakeServer.start(ruleset(2, [booleanFlag("checkout", false, 2)]), port);
    cleanups.push(() => back.close());
    const ready = nextEvent((fn) => c.on("ready", fn));
    const changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn));
    await ready;
    expect((await changed).flags.sort()).toEqual(["checkout", "other"]);
    expect(c.status).toBe("ready");
    expect(c.boolean("checkout", { targetingKey: "u" }, true)).toBe(false);
  });

  it("stays ready, without flapping to stale, when the stream is refused but polls succeed", async () => {
    const server = await serve();
    server.streamStatus = 404; // e.g. a proxy that does not pass Server-Sent Events
    const c = client(server, { pollIntervalMs: 20, reconnectMinMs: 5, reconnectMaxMs: 20 });
    const events: string[] = [];
    const errors: Error[] = [];
    c.on("ready", () => events.push("ready"));
    c.on("stale", () => events.push("stale"));
    c.on("error", (e) => errors.push(e));
    await c.ready({ timeout: 5_000 });
    await until(() => server.to("/sdk/v1/stream").length >= 5, 5_000, "stream attempts");
    await until(() => server.to("/sdk/v1/ruleset").length >= 5, 5_000, "polls");
    expect(events).toEqual(["ready"]);
    expect(c.status).toBe("ready");
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/stream.*404.*polling/)]);
    server.ruleset = ruleset(2, [booleanFlag("checkout", false, 2), booleanFlag("other", true)]);
    await nextEvent((fn) => c.on("change", fn));
    expect(c.boolean("checkout", {}, true)).toBe(false);
    expect(events).toEqual(["ready"]);
  });

  it("after a delta, polls with the ETag of the version it brought, not the stale one", async () => {
    const server = await serve();
    const c = client(server, { pollIntervalMs: 20 });
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    const v2 = ruleset(2, [booleanFlag("checkout", false, 2), booleanFlag("other", true)]);
    server.ruleset = v2;
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("checkout", false, 2)] }), 2);
    await nextEvent((fn) => c.on("change", fn));
    server.streamStatus = 503;
    const before = server.to("/sdk/v1/ruleset").length;
    server.endStreams();
    await until(() => server.to("/sdk/v1/ruleset").length > before, 5_000, "a poll");
    expect(server.to("/sdk/v1/ruleset")[before]?.headers["if-none-match"]).toBe('"s-production-2"');
  });

  it("polls with ETag when streaming is off", async () => {
    const server = await serve();
    const c = client(server, { streaming: false, pollIntervalMs: 20 });
    await c.ready({ timeout: 5_000 });
    await until(() => server.to("/sdk/v1/ruleset").length >= 3, 5_000, "polls");
    expect(server.to("/sdk/v1/ruleset")[2]?.headers["if-none-match"]).toBe('"s-production-1"');
    expect(server.to("/sdk/v1/stream")).toHaveLength(0);
    server.ruleset = ruleset(2, [booleanFlag("checkout", false, 2), booleanFlag("other", true)]);
    await nextEvent((fn) => c.on("change", fn));
    expect(c.boolean("checkout", {}, true)).toBe(false);
  });

  it("persists the last good ruleset and starts from it when the server is down", async () => {
    const persistPath = join(dir, "persist-test.json");
    const server = await serve();
    const first = client(server, { persistPath });
    await first.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("checkout", false, 2)] }), 2);
    await nextEvent((fn) => first.on("change", fn));
    await first.close();
    expect(readRulesetFile(persistPath)?.ruleset).toMatchObject({ version: 2 });
    await server.close();

    const second = client(server, { persistPath });
    const ready = await nextEvent<{ source: string; version: number }>((fn) => second.on("ready", fn));
    expect(ready).toEqual({ source: "persisted", version: 2 });
    expect(second.boolean("checkout", { targetingKey: "u" }, true)).toBe(false);
    await nextEvent((fn) => second.on("stale", fn));
  });

  it("starts from a bootstrap file and replaces it with the server's newer rules", async () => {
    const server = await serve(ruleset(5, [booleanFlag("checkout", false, 5)]));
    const { writeRulesetFile } = await import("../cache/ruleset-file.js");
    const bootstrap = join(dir, "bootstrap.json");
    await writeRulesetFile(bootstrap, { ruleset: ruleset(1, [booleanFlag("checkout", true)]) });
    const c = client(server, { bootstrap });
    expect(c.boolean("checkout", {}, false)).toBe(true);
    const changed = await nextEvent<ChangeEvent>((fn) => c.on("change", fn));
    expect(changed).toEqual({ flags: ["checkout"], version: 5 });
    expect(c.boolean("checkout", {}, true)).toBe(false);
  });

  it("acknowledges each applied version with its instance id", async () => {
    const server = await serve();
    const c = client(server);
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("checkout", false, 2)] }), 2);
    await until(
      () => server.reports<AckReport>("/sdk/v1/ack").flatMap((r) => r.acks).length >= 2,
      5_000,
      "acks",
    );
    const reports = server.reports<AckReport>("/sdk/v1/ack");
    expect(reports[0]).toMatchObject({ instanceId: "instance-1", sdk: expect.stringMatching(/^sdk-node\//) });
    expect(reports.flatMap((r) => r.acks.map((a) => a.version))).toEqual([1, 2]);
    expect(server.to("/sdk/v1/ack")[0]?.headers["x-switchyard-instance"]).toBe("instance-1");
  });

  it("sends evaluation counts in batches and on close, with drops counted past the bound", async () => {
    const server = await serve();
    const c = client(server, { flushIntervalMs: 0, maxMetricsKeys: 1 });
    await c.ready({ timeout: 5_000 });
    for (let i = 0; i < 5; i++) c.boolean("checkout", { targetingKey: `u${i}` }, false);
    c.boolean("other", {}, false);
    c.boolean("other", {}, false);
    await c.flush();
    c.boolean("checkout", {}, false);
    await c.close();
    const reports = server.reports<MetricsReport>("/sdk/v1/metrics");
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({
      instanceId: "instance-1",
      evaluations: [{ flag: "checkout", variant: "on", count: 5 }],
      dropped: 2,
    });
    expect(reports[1]?.evaluations).toEqual([{ flag: "checkout", variant: "on", count: 1 }]);
    expect(reports[1]!.start).toBeGreaterThanOrEqual(reports[0]!.end);
  });

  it("keeps counts through a failed flush and sends them later", async () => {
    const server = await serve();
    const c = client(server, { flushIntervalMs: 0 });
    await c.ready({ timeout: 5_000 });
    server.reportStatus = 503;
    c.boolean("checkout", {}, false);
    await c.flush();
    server.reportStatus = 202;
    c.boolean("checkout", {}, false);
    await c.flush();
    const sent = server.reports<MetricsReport>("/sdk/v1/metrics");
    expect(sent.at(-1)?.evaluations).toEqual([{ flag: "checkout", variant: "on", count: 2 }]);
  });

  it("closes cleanly: stream ended, no timers or sockets left, ready() of a closed client rejects", async () => {
    const server = await serve();
    const before = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    const c = createClient({ url: server.url, sdkKey: "k", logger: silent, flushIntervalMs: 10 });
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    await c.close();
    await until(() => server.streams.size === 0, 5_000, "stream ended");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    expect(after).toBeLessThanOrEqual(before);
    expect(c.status).toBe("closed");
    await c.close();
  });

  it("close() flushes what is pending: counts, shadow statistics, the last ack and the persisted copy", async () => {
    const shadowed = ruleset(1, [
      booleanFlag("checkout", true, 1, {
        shadow: { sampleRate: 100_000, stickiness: "call", timeoutMs: 1_000 },
      }),
    ]);
    const server = await serve(shadowed);
    const persistPath = join(dir, "close-flush.json");
    // Nothing would be sent before close(): no flush interval, an ack delay far beyond the test.
    const c = client(server, { flushIntervalMs: 60_000, ackDelayMs: 60_000, persistPath });
    await c.ready({ timeout: 5_000 });
    await until(() => server.streams.size === 1);
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("other", true, 2)] }), 2);
    await nextEvent((fn) => c.on("change", fn));
    c.boolean("checkout", {}, false);
    await c.shadow("checkout", {}, { control: () => 1, candidate: () => 2 });
    await new Promise((r) => setTimeout(r, 10));
    expect(server.reports("/sdk/v1/metrics")).toHaveLength(0);
    expect(server.reports("/sdk/v1/shadow")).toHaveLength(0);
    expect(server.reports("/sdk/v1/ack")).toHaveLength(0);

    await c.close();
    expect(server.reports<MetricsReport>("/sdk/v1/metrics")[0]?.evaluations).toEqual([
      { flag: "checkout", variant: "on", count: 1 },
    ]);
    expect(server.reports<ShadowReport>("/sdk/v1/shadow")[0]?.flags.checkout).toMatchObject({
      shadowed: 1,
      mismatches: 1,
    });
    // One batch holding both applied versions.
    expect(server.reports<AckReport>("/sdk/v1/ack").map((r) => r.acks.map((a) => a.version))).toEqual([
      [1, 2],
    ]);
    expect(readRulesetFile(persistPath)?.ruleset).toMatchObject({ version: 2 });
  });

  it("ready() rejects after its timeout when nothing can be loaded", async () => {
    const c = client({ url: "http://127.0.0.1:9" }, { reconnectMinMs: 1_000 });
    await expect(c.ready({ timeout: 50 })).rejects.toThrow(/no ruleset within 50 ms/);
  });
});
