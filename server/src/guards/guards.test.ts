import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { histogramOf } from "../../test/random.js";
import type { StateFields } from "../flags/validate-state.js";
import { FINE_LATENCY_BUCKETS_MS } from "../shadow/latency-buckets.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { rateCounts } from "./metrics.js";
import { afterTrip, observeShadowReport } from "./observe.js";

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
    expect(rateCounts("mismatch_rate", r)).toEqual({ trials: 95, events: 5 });
    expect(rateCounts("error_rate", r)).toEqual({ trials: 100, events: 5 });
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
    await observeShadowReport(t.deps, "production", {
      "new-checkout": report({ matches: 0, mismatches: 100 }),
    });
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

/** A fresh boolean flag in production at the shadow step, with the given guards. */
async function shadowedFlag(key: string, guardList: unknown[]) {
  const created = await t.request(
    "/api/v1/flags",
    json("POST", { key, name: key, kind: "boolean" }, t.auth()),
  );
  expect(created.status).toBe(201);
  const path = `/api/v1/environments/production/flags/${key}`;
  const moved = await t.request(`${path}/dark-launch/advance`, json("POST", { to: "shadow" }, t.auth()));
  expect(moved.status).toBe(200);
  const put = await t.request(`${path}/guards`, json("PUT", { guards: guardList }, t.auth()));
  expect(put.status).toBe(200);
  return {
    path,
    guards: async () => (await read(await t.request(`${path}/guards`, { headers: t.auth() }))).guards,
    observe: (r: ShadowFlagInput) => observeShadowReport(t.deps, "production", { [key]: r }),
  };
}

describe("the guards' test through the server", () => {
  it("stays quick after a long healthy run: 1,000,000 healthy calls, then 5% trips within 2,000 calls", async () => {
    const f = await shadowedFlag("long-healthy", [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }]);
    for (let i = 0; i < 10; i++) await f.observe(report({ matches: 99_500, mismatches: 500 }));
    expect((await f.guards())[0]).toMatchObject({ status: "green", trials: 1_000_000 });
    let calls = 0;
    while ((await f.guards())[0].status === "green" && calls < 2_000) {
      await f.observe(report({ matches: 95, mismatches: 5 }));
      calls += 100;
    }
    // The never-clamped test needed about 109,600 calls here.
    expect((await f.guards())[0].status).toBe("tripped");
    expect(calls).toBeLessThanOrEqual(2_000);
  });

  it("starts afresh when the flag moves to another step of the dark-launch path", async () => {
    const f = await shadowedFlag("step-reset", [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }]);
    await f.observe(report({ matches: 190, mismatches: 10 }));
    const atShadow = (await f.guards())[0];
    expect(atShadow).toMatchObject({ step: "shadow", trials: 200, events: 10 });
    expect(atShadow.llr).toBeGreaterThan(0);

    const moved = await t.request(
      `${f.path}/dark-launch/advance`,
      json("POST", { to: "pilot", segment: "pilot-users" }, t.auth()),
    );
    expect(moved.status).toBe(200);
    await f.observe(report({ matches: 100, mismatches: 0 }));
    // Only the new step's 100 healthy calls count: the earlier evidence is gone.
    const atPilot = (await f.guards())[0];
    expect(atPilot).toMatchObject({ step: "pilot", trials: 100, events: 0 });
    expect(atPilot.llr).toBeCloseTo(100 * Math.log(0.985 / 0.99), 9);
  });

  it("a latency guard on fine histograms stops the ramp when the candidate is 3.6× slower, with figures", async () => {
    const f = await shadowedFlag("latency-v2", [
      { metric: "latency_p95_ratio", limit: 1.5, action: "stop_ramp" },
    ]);
    const moved = await t.request(
      `${f.path}/dark-launch/advance`,
      json("POST", { to: "pilot", segment: "pilot-users" }, t.auth()),
    );
    expect(moved.status).toBe(200);
    const fine = (ms: number) => histogramOf(FINE_LATENCY_BUCKETS_MS, 100, () => ms);
    const slow = report({ controlLatency: fine(11), candidateLatency: fine(40) });
    // Over HTTP once, so the fine scale is what the ingestion accepts.
    expect((await post({ "latency-v2": slow })).status).toBe(202);
    await vi.waitFor(async () => expect((await f.guards())[0].trials).toBe(100));
    for (let i = 0; i < 20 && (await f.guards())[0].status === "green"; i++) await f.observe(slow);
    const [guard] = await f.guards();
    expect(guard).toMatchObject({
      status: "tripped",
      trip: {
        metric: "latency_p95_ratio",
        controlP95AtMostMs: 11.2,
        candidateP95AboveMs: 16.8,
        observedP95Ms: { control: 11.2, candidate: 40 },
      },
    });
    const state = await read(await t.request(f.path, { headers: t.auth() }));
    expect(state.on).toBe(true);
    expect(state.rules[0].serve).toEqual({ variation: "off" });
    const audit = await read(
      await t.request("/api/v1/audit?flag=latency-v2&action=guard.trip", { headers: t.auth() }),
    );
    expect(audit.entries[0].reason).toMatch(
      /candidate p95 latency > 1\.5× control: control p95 ≤ 11\.2 ms and candidate p95 > 16\.8 ms/,
    );
  });
});

describe("re-arming a tripped guard", () => {
  it("is explicit and audited: the guard watches again from scratch, the flag is left as it is", async () => {
    const f = await shadowedFlag("rearm-me", [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }]);
    for (let i = 0; i < 10 && (await f.guards())[0].status === "green"; i++) {
      await f.observe(report({ matches: 50, mismatches: 50 }));
    }
    expect((await f.guards())[0].status).toBe("tripped");
    // The same settings again do not re-arm it.
    const same = await t.request(
      `${f.path}/guards`,
      json("PUT", { guards: [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }] }, t.auth()),
    );
    expect((await read(same)).guards[0].status).toBe("tripped");

    const viewer = await t.createKey("admin", "viewer");
    const forbidden = await t.request(`${f.path}/guards/rearm`, json("POST", {}, t.auth(viewer)));
    expect(forbidden.status).toBe(403);

    const res = await t.request(
      `${f.path}/guards/rearm`,
      json("POST", { metrics: ["mismatch_rate"], reason: "fixed the rounding" }, t.auth()),
    );
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.rearmed).toHaveLength(1);
    expect(body.guards[0]).toMatchObject({
      status: "green",
      trials: 0,
      llr: 0,
      trippedAt: null,
      step: "off",
    });
    expect((await read(await t.request(f.path, { headers: t.auth() }))).on).toBe(false);

    const audit = await read(
      await t.request("/api/v1/audit?flag=rearm-me&action=guard.rearm", { headers: t.auth() }),
    );
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      reason: "fixed the rounding",
      before: [{ status: "tripped" }],
      after: [{ status: "green", trials: 0 }],
    });

    const again = await t.request(`${f.path}/guards/rearm`, json("POST", {}, t.auth()));
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect((await read(again)).detail).toMatch(/nothing to re-arm/);

    // Re-armed, it watches: a report steps it again.
    await f.observe(report({ matches: 100, mismatches: 0 }));
    expect((await f.guards())[0].trials).toBe(100);
  });
});

describe("a kill by a guard is a kill", () => {
  it("is audited as flag.kill by the guard too, so a webhook subscribed to flag.kill alone hears it", async () => {
    const hook = await t.request(
      "/api/v1/webhooks",
      json(
        "POST",
        {
          name: "kills only",
          url: "http://127.0.0.1:9/hook",
          events: ["flag.kill"],
          environment: "production",
        },
        t.auth(),
      ),
    );
    expect(hook.status).toBe(201);
    const hookId = (await read(hook)).id;
    const f = await shadowedFlag("killed-by-guard", [{ metric: "error_rate", limit: 0.005, action: "kill" }]);
    for (let i = 0; i < 10 && (await f.guards())[0].status === "green"; i++) {
      await f.observe(report({ matches: 80, candidateErrors: 20 }));
    }
    expect((await f.guards())[0].status).toBe("tripped");

    const kills = await read(
      await t.request("/api/v1/audit?flag=killed-by-guard&action=flag.kill", { headers: t.auth() }),
    );
    expect(kills.entries).toHaveLength(1);
    expect(kills.entries[0]).toMatchObject({
      actor: { type: "guard", name: "guard: candidate error rate > 0.5%" },
      environment: "production",
      before: { on: true },
      after: { on: false, trippedBy: { metric: "error_rate", limit: 0.005, action: "kill" } },
    });
    expect(kills.entries[0].reason).toMatch(/candidate error rate > 0\.5%: \d+ of \d+/);
    const trip = await read(
      await t.request("/api/v1/audit?flag=killed-by-guard&action=guard.trip", { headers: t.auth() }),
    );
    expect(trip.entries[0].at).toBe(kills.entries[0].at); // one transaction

    const deliveries = (
      await read(await t.request(`/api/v1/webhooks/${hookId}/deliveries`, { headers: t.auth() }))
    ).deliveries;
    expect(deliveries.map((d: { event: string }) => d.event)).toEqual(["flag.kill"]);
  });
});

/** What an SSE stream sends until `until` accepts the text so far (bounded: the stream is cancelled after). */
async function streamUntil(res: Response, until: (text: string) => boolean): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let chunks = 0; chunks < 100 && !until(text); chunks++) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("a guard's kill goes the common write path", () => {
  it("reaches a connected SDK, with its audit entry's before/after and the ruleset version it produced", async () => {
    const f = await shadowedFlag("killed-on-stream", [
      { metric: "mismatch_rate", limit: 0.01, action: "kill" },
    ]);
    const from = t.deps.rulesets.server("production")?.version as number;
    const stream = await t.request("/sdk/v1/stream", {
      headers: { authorization: sdkKey, "last-event-id": String(from) },
    });
    const killed = (text: string) =>
      text
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => JSON.parse(line.slice(6)))
        .some((delta) =>
          delta.flags?.upsert?.some(
            (flag: { key: string; on: boolean }) => flag.key === "killed-on-stream" && !flag.on,
          ),
        );
    const heard = streamUntil(stream, killed);
    for (let i = 0; i < 10 && (await f.guards())[0].status === "green"; i++) {
      await f.observe(report({ matches: 80, mismatches: 20 }));
    }
    expect((await f.guards())[0].status).toBe("tripped");
    expect(killed(await heard)).toBe(true);

    const { entries } = await read(
      await t.request("/api/v1/audit?flag=killed-on-stream&action=flag.kill", { headers: t.auth() }),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { type: "guard" },
      before: { on: true },
      after: { on: false, trippedBy: { metric: "mismatch_rate" } },
    });
    // The incident screen follows a kill to the SDKs by the ruleset version it produced.
    const { kills } = await read(await t.request("/api/v1/overview/kills", { headers: t.auth() }));
    const kill = kills.find((k: { id: number }) => k.id === entries[0].id);
    expect(kill).toMatchObject({ flags: ["killed-on-stream"], rulesetVersion: expect.any(Number) });
    expect(kill.rulesetVersion).toBe(t.deps.rulesets.server("production")?.version);
  });
});
