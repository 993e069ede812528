/**
 * The SDK through a server outage: a real server on a PGlite data folder is stopped and started again on
 * the same port and data. The client keeps answering while it is down, catches up when it is back, and a
 * client started while it is down serves the persisted ruleset.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent } from "../src/client/events.js";
import { createClient, type SwitchyardClient } from "../src/index.js";
import { nextEvent } from "../src/testing/fake-server.js";
import { Admin } from "./admin.js";
import { type RealServer, SERVER_START_TIMEOUT_MS, startRealServer } from "./real-server.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const adminToken = "sy_admin_sdk_node_outage_token_0123456789abcd";
const dir = mkdtempSync(join(tmpdir(), "sdk-node-outage-"));
const dataDir = join(dir, "db");
const persistPath = join(dir, "cache", "flags.json");
let server: RealServer | undefined;
let sdkKey: string;
const clients: SwitchyardClient[] = [];

const start = (port = 0) => startRealServer({ port, dataDir, adminToken });

beforeAll(async () => {
  server = await start();
  const admin = new Admin(server.url, adminToken);
  await admin.createEnvironment("production");
  await admin.createBooleanFlag("new-checkout");
  await admin.setOn("production", "new-checkout", true);
  sdkKey = await admin.serverKey("production");
}, SERVER_START_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(url: string): SwitchyardClient {
  const c = createClient({
    url,
    sdkKey,
    persistPath,
    logger: silent,
    reconnectMinMs: 50,
    reconnectMaxMs: 300,
    pollIntervalMs: 200,
    flushIntervalMs: 0,
  });
  clients.push(c);
  return c;
}

describe("sdk-node through a server outage", () => {
  it(
    "keeps answering while the server is down and catches up when it is back",
    async () => {
      const running = server!;
      const url = running.url;
      const c = client(url);
      await c.ready({ timeout: 10_000 });
      expect(c.boolean("new-checkout", { targetingKey: "u1" }, false)).toBe(true);

      const stale = nextEvent((fn) => c.on("stale", fn), 15_000, "stale");
      await running.close();
      server = undefined;
      await stale;
      expect(c.status).toBe("stale");
      expect(c.boolean("new-checkout", { targetingKey: "u1" }, false)).toBe(true);

      const ready = nextEvent((fn) => c.on("ready", fn), SERVER_START_TIMEOUT_MS, "ready again");
      server = await start(running.port);
      await ready;
      const changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn), 15_000, "kill after restart");
      await new Admin(server.url, adminToken).kill("production", "new-checkout");
      expect((await changed).flags).toContain("new-checkout");
      expect(c.boolean("new-checkout", { targetingKey: "u1" }, true)).toBe(false);
      await c.close();
    },
    2 * SERVER_START_TIMEOUT_MS,
  ); // it restarts the server

  it("starts from the persisted ruleset while the server is down", async () => {
    const url = server!.url;
    await server!.close();
    server = undefined;
    const c = client(url);
    const ready = await nextEvent<{ source: string }>((fn) => c.on("ready", fn), 5_000, "ready from disk");
    expect(ready.source).toBe("persisted");
    // The last state the first client persisted: killed.
    expect(c.detail("new-checkout", { targetingKey: "u1" }, true)).toMatchObject({
      value: false,
      reason: "DISABLED",
    });
    await nextEvent((fn) => c.on("stale", fn), 15_000, "stale");
  });
});
