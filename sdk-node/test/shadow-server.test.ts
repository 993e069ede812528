/**
 * Shadow traffic end to end: the flag's shadow rule is set through the admin API, reaches the client over
 * the stream, `client.shadow` runs the candidate beside the control, and the statistics the client sends
 * are what the server's shadow read API reports — counts, and the p95 of both paths at the fine latency
 * scale's resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "../src/index.js";
import { LATENCY_EDGES_MS } from "../src/shadow/latency-buckets.js";
import { until } from "../src/testing/fake-server.js";
import { Admin } from "./admin.js";
import { type RealServer, SERVER_START_TIMEOUT_MS, startRealServer } from "./real-server.js";
import { TimedWork } from "./timed-work.js";

const adminToken = "sy_admin_sdk_node_shadow_integration_token_0123";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let server: RealServer;
let admin: Admin;
let client: SwitchyardClient;
/** The client's shadow clock: only the paths' own work moves it, so latencies are exact. */
const work = new TimedWork();

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
  await admin.createBooleanFlag("search-v2");
  await admin.call("POST", "/environments/production/flags/search-v2/dark-launch/advance", {
    to: "shadow",
    sampleRate: 100,
  });
  const sdkKey = await admin.serverKey("production");
  client = createClient({
    url: server.url,
    sdkKey,
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

  it("sends latencies the server turns into the right p95 of each path, to within one fine bucket", async () => {
    // Control 8–9.6 ms, candidate 12–14.6 ms (about 1.5× slower).
    for (let i = 0; i < 400; i++) {
      const call = {
        control: work.path("control", 8, 1.6, "same"),
        candidate: work.path("candidate", 12, 2.6, "same"),
      };
      expect(await client.shadow("search-v2", { targetingKey: `u-${i}` }, call)).toBe("same");
      await new Promise((r) => setImmediate(r));
    }
    await client.flush();
    type Summary = {
      totals: { shadowed: number; latencyMs: Record<"control" | "candidate", { p50: number; p95: number }> };
    };
    const summary = await until(async () => {
      const s = await admin.call<Summary>("GET", "/environments/production/flags/search-v2/shadow");
      return s.totals.shadowed === 400 ? s : undefined;
    });
    // The p-th percentile of the raw latencies, reported as the upper edge of the fine bucket holding it.
    const expected = (values: number[], p: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
      return LATENCY_EDGES_MS.find((edge) => edge >= at);
    };
    expect(work.seen.control).toHaveLength(400);
    for (const path of ["control", "candidate"] as const) {
      expect(summary.totals.latencyMs[path]).toEqual({
        p50: expected(work.seen[path], 50),
        p95: expected(work.seen[path], 95),
      });
    }
    // Near the true ratio (about 1.5), as a 1.5× guard needs; core's coarse scale would read 10 vs 25 ms.
    const { control, candidate } = summary.totals.latencyMs;
    expect(candidate.p95 / control.p95).toBeGreaterThan(1.3);
    expect(candidate.p95 / control.p95).toBeLessThan(1.7);
  }, 30_000);
});
