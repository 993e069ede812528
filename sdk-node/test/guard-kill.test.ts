/**
 * A guard rolls back by itself: a Node SDK client runs a buggy candidate in the shadow of the old code, its
 * shadow statistics reach the server, the mismatch-rate guard's sequential test trips, and the kill the
 * guard commits reaches the same connected client over the stream — no person involved. The same for the
 * latency guard, which only the SDK's fine latency histograms let tell a 2× slower candidate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "../src/index.js";
import { until } from "../src/testing/fake-server.js";
import { Admin } from "./admin.js";
import { type RealServer, SERVER_START_TIMEOUT_MS, startRealServer } from "./real-server.js";
import { TimedWork } from "./timed-work.js";

const adminToken = "sy_admin_sdk_node_guard_kill_integration_0123";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const flag = "/environments/production/flags/pricing-v2";
const slowFlag = "/environments/production/flags/search-v2";
const work = new TimedWork();
let server: RealServer;
let admin: Admin;
let client: SwitchyardClient;

beforeAll(async () => {
  server = await startRealServer({ adminToken });
  admin = new Admin(server.url, adminToken);
  await admin.createEnvironment("production");
  await admin.createBooleanFlag("pricing-v2");
  await admin.call("POST", `${flag}/dark-launch/advance`, { to: "shadow", sampleRate: 100 });
  await admin.call("PUT", `${flag}/guards`, {
    guards: [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }],
  });
  await admin.createBooleanFlag("search-v2");
  await admin.call("POST", `${slowFlag}/dark-launch/advance`, { to: "shadow", sampleRate: 100 });
  await admin.call("PUT", `${slowFlag}/guards`, {
    guards: [{ metric: "latency_p95_ratio", limit: 1.5, action: "kill" }],
  });
  client = createClient({
    url: server.url,
    sdkKey: await admin.serverKey("production"),
    logger: silent,
    flushIntervalMs: 60_000,
    shadow: { now: () => work.now },
  });
  await client.ready({ timeout: 10_000 });
}, SERVER_START_TIMEOUT_MS);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe("a guard trips on real shadow traffic", () => {
  it("kills the flag and the connected SDK serves the kill", async () => {
    expect(client.detail("pricing-v2", { targetingKey: "u" }, false).reason).not.toBe("DISABLED");
    // The candidate disagrees on one call in ten: ten times the guard's 1% limit.
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 50; i++) {
        await client.shadow(
          "pricing-v2",
          { targetingKey: `user-${i}` },
          {
            control: () => 100,
            candidate: async () => (i % 10 === 0 ? 101 : 100),
          },
        );
        await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 10));
      await client.flush();
    }
    type Guards = { guards: { status: string; trials: number; events: number }[] };
    const tripped = await until(
      async () => {
        const g = await admin.call<Guards>("GET", `${flag}/guards`);
        return g.guards[0]?.status === "tripped" ? g.guards[0] : undefined;
      },
      10_000,
      "the guard to trip",
    );
    expect(tripped.events).toBeGreaterThan(0);

    await until(
      () => client.detail("pricing-v2", { targetingKey: "u" }, false).reason === "DISABLED",
      5_000,
      "the kill to reach the SDK",
    );
    type Audit = { entries: { actor: { type: string }; action: string }[] };
    const audit = await admin.call<Audit>("GET", "/audit?flag=pricing-v2&action=guard.trip");
    expect(audit.entries[0]?.actor.type).toBe("guard");
  });

  it("kills a flag whose candidate is 2× slower, on the p95s the SDK's histograms give", async () => {
    type Guards = { guards: { status: string; trip?: Record<string, unknown> }[] };
    const guard = async () => (await admin.call<Guards>("GET", `${slowFlag}/guards`)).guards[0];
    // Control 8–9.6 ms, candidate 16–19.2 ms: the control claim needs about 700 calls, so up to 3,000.
    for (let batch = 0; batch < 15 && (await guard())?.status !== "tripped"; batch++) {
      for (let i = 0; i < 200; i++) {
        const call = {
          control: work.path("control", 8, 1.6, 1),
          candidate: work.path("candidate", 16, 3.2, 1),
        };
        await client.shadow("search-v2", { targetingKey: `user-${i}` }, call);
        await new Promise((r) => setImmediate(r));
      }
      await client.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
    const tripped = await until(
      async () => ((await guard())?.status === "tripped" ? await guard() : undefined),
      10_000,
      "the latency guard to trip",
    );
    // Control p95 ≤ 10 ms (its calls end at 9.6) and candidate p95 > 15 ms, named at fine edges.
    expect(tripped?.trip).toMatchObject({
      metric: "latency_p95_ratio",
      controlP95AtMostMs: 10,
      candidateP95AboveMs: 15,
    });
    await until(
      () => client.detail("search-v2", { targetingKey: "u" }, false).reason === "DISABLED",
      5_000,
      "the kill to reach the SDK",
    );
  }, 60_000);
});
