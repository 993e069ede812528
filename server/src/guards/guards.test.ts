import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import type { StateFields } from "../flags/validate-state.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { countsFor, p95Upper } from "./metrics.js";
import { afterTrip } from "./observe.js";

const buckets = SHADOW_LATENCY_BUCKETS_MS.length + 1;
const histogram = (at: Record<number, number>) => Array.from({ length: buckets }, (_, i) => at[i] ?? 0);
const report = (over: Partial<ShadowFlagInput> = {}): ShadowFlagInput => ({
  calls: 100,
  shadowed: 100,
  matches: 100,
  mismatches: 0,
  candidateErrors: 0,
  controlErrors: 0,
  timeouts: 0,
  skipped: 0,
  controlLatency: histogram({ 6: 100 }), // (5, 10] ms
  candidateLatency: histogram({ 6: 100 }),
  samples: [],
  ...over,
});

describe("what guards count", () => {
  it("mismatch and error rates count compared calls and failures", () => {
    const r = report({ matches: 90, mismatches: 5, candidateErrors: 3, timeouts: 2 });
    expect(countsFor("mismatch_rate", 0.01, r, [])).toEqual({ trials: 95, events: 5 });
    expect(countsFor("error_rate", 0.005, r, [])).toEqual({ trials: 100, events: 5 });
  });

  it("latency counts candidate calls in buckets wholly above limit × control p95", () => {
    const control = histogram({ 6: 100 });
    expect(p95Upper(control)).toBe(10);
    // 1.5 × 10 ms = 15 ms: the (10, 25] bucket straddles it and does not count; (25, 50] does.
    const slow = report({ candidateLatency: histogram({ 6: 50, 7: 30, 8: 20 }) });
    expect(countsFor("latency_p95_ratio", 1.5, slow, control)).toEqual({ trials: 100, events: 20 });
    expect(countsFor("latency_p95_ratio", 1.5, slow, [])).toEqual({ trials: 0, events: 0 });
  });
});

describe("what a tripped guard does to the flag", () => {
  const rolling: StateFields = {
    on: true,
    offVariation: "off",
    targets: [{ variation: "on", values: ["u1"] }],
    rules: [{ id: "pilots", clauses: [], serve: { variation: "on" } }],
    fallthrough: {
      rollout: {
        weights: [
          { variation: "on", weight: 30_000 },
          { variation: "off", weight: 70_000 },
        ],
      },
    },
    prerequisites: [],
    shadow: { sampleRate: 5_000, stickiness: "user", timeoutMs: 500, candidateVariation: "on" },
  };
  it("kill turns it off; stop_ramp serves the old code wherever the new one was served, keeps comparing", () => {
    expect(afterTrip(rolling, "kill")).toMatchObject({ on: false, fallthrough: rolling.fallthrough });
    const stopped = afterTrip(rolling, "stop_ramp");
    expect(stopped).toMatchObject({
      on: true,
      targets: [],
      rules: [{ id: "pilots", serve: { variation: "off" } }],
      fallthrough: { variation: "off" },
      shadow: rolling.shadow,
    });
  });
});

let t: TestServer;
let sdkKey: string;
const base = "/api/v1/environments/production/flags/new-checkout";
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  sdkKey = await t.createKey("server", "production");
});
afterAll(() => t.close());

const post = (flags: Record<string, ShadowFlagInput>) =>
  t.request(
    "/sdk/v1/shadow",
    json(
      "POST",
      { instanceId: "i-1", sdk: "test", start: Date.now(), end: Date.now(), flags },
      t.auth(sdkKey),
    ),
  );
const guards = async () => (await read(await t.request(`${base}/guards`, { headers: t.auth() }))).guards;

describe("guards over HTTP", () => {
  it("refuses bad guards with problem details naming the field", async () => {
    const bad = await t.request(
      `${base}/guards`,
      json("PUT", { guards: [{ metric: "mismatch_rate", limit: 5, action: "kill" }] }, t.auth()),
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await read(bad))).toContain("limit");
    const viewer = await t.createKey("admin", "viewer");
    const forbidden = await t.request(`${base}/guards`, json("PUT", { guards: [] }, t.auth(viewer)));
    expect(forbidden.status).toBe(403);
  });

  it("a few early mismatches do not trip it; a real regression kills the flag, by the guard, with figures", async () => {
    const put = await t.request(
      `${base}/guards`,
      json("PUT", { guards: [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }] }, t.auth()),
    );
    expect(put.status).toBe(200);
    expect((await read(put)).guards[0]).toMatchObject({ status: "green", trials: 0, alpha: 0.01 });

    expect((await post({ "new-checkout": report({ matches: 17, mismatches: 3 }) })).status).toBe(202);
    await vi.waitFor(async () => expect((await guards())[0].trials).toBe(20));
    expect((await guards())[0].status).toBe("green");
    expect(
      (
        await read(
          await t.request("/api/v1/environments/production/flags/new-checkout", { headers: t.auth() }),
        )
      ).on,
    ).toBe(true);

    for (let i = 0; i < 5; i++) await post({ "new-checkout": report({ matches: 90, mismatches: 10 }) });
    await vi.waitFor(async () => expect((await guards())[0].status).toBe("tripped"), { timeout: 5000 });

    const state = await read(
      await t.request("/api/v1/environments/production/flags/new-checkout", { headers: t.auth() }),
    );
    expect(state.on).toBe(false);
    const audit = await read(
      await t.request("/api/v1/audit?flag=new-checkout&action=guard.trip", { headers: t.auth() }),
    );
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      actor: { type: "guard", name: "guard: mismatch rate > 1%" },
      environment: "production",
      after: { guard: { status: "tripped", trip: { metric: "mismatch_rate", limit: 0.01 } } },
    });
    expect(audit.entries[0].reason).toMatch(/mismatch rate > 1%: \d+ of \d+/);

    // Tripped guards stay tripped: more bad reports change nothing and write nothing.
    await post({ "new-checkout": report({ matches: 0, mismatches: 100 }) });
    await new Promise((r) => setTimeout(r, 100));
    const again = await read(
      await t.request("/api/v1/audit?flag=new-checkout&action=guard.trip", { headers: t.auth() }),
    );
    expect(again.entries).toHaveLength(1);
  });

  it("putting the guards again re-arms a changed guard and keeps an unchanged one", async () => {
    const same = await read(
      await t.request(
        `${base}/guards`,
        json("PUT", { guards: [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }] }, t.auth()),
      ),
    );
    expect(same.guards[0].status).toBe("tripped");
    const changed = await read(
      await t.request(
        `${base}/guards`,
        json("PUT", { guards: [{ metric: "mismatch_rate", limit: 0.02, action: "kill" }] }, t.auth()),
      ),
    );
    expect(changed.guards[0]).toMatchObject({ status: "green", trials: 0, limit: 0.02 });
  });
});
