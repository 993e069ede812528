/**
 * Shadow traffic end to end: the flag's shadow rule is set through the admin API, reaches the client over
 * the stream, `client.shadow` runs the candidate beside the control, and the statistics the client sends
 * are what the server's shadow read API reports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "../src/index.js";
import { until } from "../src/testing/fake-server.js";
import { Admin } from "./admin.js";
import { type RealServer, SERVER_START_TIMEOUT_MS, startRealServer } from "./real-server.js";

const adminToken = "sy_admin_sdk_node_shadow_integration_token_0123";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let server: RealServer;
let admin: Admin;
let client: SwitchyardClient;

beforeAll(async () => {
  server = await startRealServer({ adminToken });
  admin = new Admin(server.url, adminToken);
  await admin.createEnvironment("production");
  await admin.createBooleanFlag("pricing-v2");
  const state = await admin.call<{ version: number }>("GET", "/environments/production/flags/pricing-v2");
  await admin.call("PATCH", "/environments/production/flags/pricing-v2", {
    on: true,
    fallthrough: { variation: "off" },
    shadow: { sampleRate: 100_000, stickiness: "call", timeoutMs: 1000, candidateVariation: "on" },
    version: state.version,
  });
  const sdkKey = await admin.serverKey("production");
  client = createClient({ url: server.url, sdkKey, logger: silent, flushIntervalMs: 60_000 });
  await client.ready({ timeout: 10_000 });
}, SERVER_START_TIMEOUT_MS);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe("shadow traffic against the real server", () => {
  it("reports matches and mismatches that the server's shadow API then shows", async () => {
    for (let i = 0; i < 10; i++) {
      const price = await client.shadow(
        "pricing-v2",
        { targetingKey: `user-${i}` },
        {
          control: () => ({ total: 100 }),
          candidate: async () => ({ total: i < 8 ? 100 : 101 }),
        },
      );
      expect(price).toEqual({ total: 100 });
    }
    await new Promise((r) => setTimeout(r, 20));
    await client.flush();
    type Summary = {
      totals: { shadowed: number; matches: number; mismatches: number; mismatchRate: number };
    };
    const summary = await until(async () => {
      const s = await admin.call<Summary>("GET", "/environments/production/flags/pricing-v2/shadow");
      return s.totals.shadowed === 10 ? s : undefined;
    });
    expect(summary.totals).toMatchObject({ shadowed: 10, matches: 8, mismatches: 2, mismatchRate: 0.2 });
  }, 20_000);
});
