/**
 * The SDK against the real server (in-memory PGlite, one server for the file): flags changed through the
 * admin API reach the client as `change` events; reports reach the server.
 */
import { OpenFeature, ProviderEvents } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent } from "../src/client/events.js";
import { createClient, type SwitchyardClient } from "../src/index.js";
import { SwitchyardProvider } from "../src/openfeature/index.js";
import { nextEvent, until } from "../src/testing/fake-server.js";
import { Admin } from "./admin.js";
import { type RealServer, SERVER_START_TIMEOUT_MS, startRealServer } from "./real-server.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const adminToken = "sy_admin_sdk_node_integration_token_0123456789";
let server: RealServer;
let admin: Admin;
let sdkKey: string;
const clients: SwitchyardClient[] = [];

beforeAll(async () => {
  server = await startRealServer({ adminToken });
  admin = new Admin(server.url, adminToken);
  await admin.createEnvironment("production");
  await admin.createBooleanFlag("new-checkout");
  await admin.createBooleanFlag("search-v2");
  await admin.setOn("production", "new-checkout", true);
  sdkKey = await admin.serverKey("production");
}, SERVER_START_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await OpenFeature.close();
  await server?.close();
});

function client(): SwitchyardClient {
  const c = createClient({
    url: server.url,
    sdkKey,
    logger: silent,
    reconnectMinMs: 50,
    reconnectMaxMs: 500,
    flushIntervalMs: 0,
  });
  clients.push(c);
  return c;
}

describe("sdk-node against the real server", () => {
  it("serves the environment's ruleset and follows a flip and a kill made through the admin API", async () => {
    const c = client();
    await c.ready({ timeout: 10_000 });
    expect(c.boolean("new-checkout", { targetingKey: "u1" }, false)).toBe(true);
    expect(c.boolean("search-v2", { targetingKey: "u1" }, true)).toBe(false);

    let changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn), 10_000, "flip");
    await admin.setOn("production", "search-v2", true);
    expect((await changed).flags).toContain("search-v2");
    expect(c.boolean("search-v2", { targetingKey: "u1" }, false)).toBe(true);

    changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn), 10_000, "kill");
    await admin.kill("production", "new-checkout");
    expect((await changed).flags).toContain("new-checkout");
    expect(c.detail("new-checkout", { targetingKey: "u1" }, true)).toMatchObject({
      value: false,
      reason: "DISABLED",
    });
    await admin.setOn("production", "new-checkout", true);
    await until(() => c.boolean("new-checkout", {}, false), 10_000, "back on");
  });

  it("rejects a wrong key with an error event and serves defaults", async () => {
    const c = createClient({
      url: server.url,
      sdkKey: "sy_srv_wrong",
      logger: silent,
      reconnectMinMs: 1_000,
    });
    clients.push(c);
    const error = await nextEvent<Error>((fn) => c.on("error", fn), 10_000, "auth error");
    expect(error.message).toMatch(/401|403/);
    expect(c.detail("new-checkout", {}, false)).toMatchObject({
      value: false,
      errorCode: "PROVIDER_NOT_READY",
    });
  });

  it("acknowledges versions (the server can tell who has the kill) and reports flag usage", async () => {
    const c = createClient({
      url: server.url,
      sdkKey,
      logger: silent,
      instanceId: "integration-instance",
      flushIntervalMs: 0,
      ackDelayMs: 1,
    });
    clients.push(c);
    await c.ready({ timeout: 10_000 });
    const changed = nextEvent<ChangeEvent>((fn) => c.on("change", fn), 10_000, "kill");
    await admin.kill("production", "search-v2");
    const { version } = await changed;
    type Delivery = { version: number; instances: { pending: { instanceId: string }[]; total: number } };
    let last: Delivery | undefined;
    await until(
      async () => {
        last = await admin.call<Delivery>("GET", `/environments/production/delivery?version=${version}`);
        return (
          last.instances.total > 0 &&
          !last.instances.pending.some((p) => p.instanceId === "integration-instance")
        );
      },
      10_000,
      "ack recorded",
    ).catch((error: Error) => {
      throw new Error(`${error.message}; delivery status: ${JSON.stringify(last)}`);
    });

    for (let i = 0; i < 10; i++) c.boolean("new-checkout", { targetingKey: `u${i}` }, false);
    const errors: Error[] = [];
    c.on("error", (e) => errors.push(e));
    await c.flush();
    expect(errors).toEqual([]);
    type Usage = { series: { environment: string; count: number }[]; lastEvaluated: Record<string, string> };
    const usage = await until(
      async () => {
        const u = await admin.call<Usage>("GET", "/flags/new-checkout/usage?environment=production");
        return u.series.reduce((n, p) => n + p.count, 0) >= 10 ? u : undefined;
      },
      10_000,
      "usage recorded",
    );
    expect(usage.lastEvaluated.production).toBeDefined();
  });

  it("works through OpenFeature: CONFIGURATION_CHANGED names the flipped flag", async () => {
    await OpenFeature.setProviderAndWait(new SwitchyardProvider({ url: server.url, sdkKey, logger: silent }));
    const flags = OpenFeature.getClient();
    const before = await flags.getBooleanValue("search-v2", false, { targetingKey: "u1" });
    const changed = new Promise<string[] | undefined>((resolve) =>
      OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
        resolve(details?.flagsChanged as string[] | undefined),
      ),
    );
    await admin.setOn("production", "search-v2", !before);
    expect(await changed).toContain("search-v2");
    expect(await flags.getBooleanValue("search-v2", before, { targetingKey: "u1" })).toBe(!before);
  });
});
