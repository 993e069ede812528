import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { observeShadowReport } from "../guards/observe.js";
import { runDueSchedules } from "./run.js";

let t: TestServer;
let clock = new Date("2026-12-01T08:00:00Z");
const at = (minutes: number) => new Date(Date.parse("2026-12-01T09:00:00Z") + minutes * 60_000).toISOString();
let tripped = false;
const guards = async () => tripped;
const run = () => runDueSchedules({ ...t.deps, now: () => clock }, guards);

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => clock });
});
afterAll(() => t.close());

const base = "/api/v1/environments/production/flags/search-ranking";
const state = async () => read(await t.request(base, { headers: t.auth() }));
const schedule = async (id: number) =>
  (await read(await t.request(`${base}/schedules`, { headers: t.auth() }))).schedules.find(
    (s: { id: number }) => s.id === id,
  );
const onShare = (s: {
  on: boolean;
  fallthrough: { variation?: string; rollout?: { weights: { variation: string; weight: number }[] } };
}) =>
  !s.on
    ? 0
    : s.fallthrough.variation
      ? s.fallthrough.variation === "neural"
        ? 100
        : 0
      : (s.fallthrough.rollout?.weights[0]?.weight ?? 0) / 1000;

describe("scheduled changes", () => {
  it("refuses steps out of order or with bad values, naming the field", async () => {
    const res = await t.request(
      `${base}/schedules`,
      json(
        "POST",
        {
          steps: [
            { at: at(10), action: "on" },
            { at: at(5), action: "rollout", percentage: 150 },
          ],
        },
        t.auth(),
      ),
    );
    expect(res.status).toBe(400);
    const body = JSON.stringify(await read(res));
    expect(body).toContain("steps.1");
  });

  it("ramps 1% → 5% → 25% → 100% as the clock passes each step, each an audited change", async () => {
    const created = await t.request(
      `${base}/schedules`,
      json(
        "POST",
        {
          steps: [
            { at: at(0), action: "rollout", percentage: 1 },
            { at: at(60), action: "rollout", percentage: 5 },
            { at: at(120), action: "rollout", percentage: 25 },
            { at: at(180), action: "rollout", percentage: 100 },
          ],
        },
        t.auth(),
      ),
    );
    expect(created.status).toBe(201);
    const { id } = await read(created);

    expect(await run()).toBe(0); // 08:00: nothing due
    const seen: number[] = [];
    for (const minutes of [0, 60, 120, 180]) {
      clock = new Date(at(minutes));
      expect(await run()).toBe(1);
      seen.push(onShare(await state()));
    }
    expect(seen.slice(0, 3)).toEqual([1, 5, 25]);
    expect((await state()).fallthrough).toEqual({ variation: expect.any(String) });
    expect(await schedule(id)).toMatchObject({ status: "done", nextStep: 4 });
    const audit = await read(
      await t.request("/api/v1/audit?flag=search-ranking&environment=production", { headers: t.auth() }),
    );
    const reasons = audit.entries.map((e: { reason: string }) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(["Scheduled step 2 of 4: rollout 5%", "Scheduled step 4 of 4: rollout 100%"]),
    );
    expect(
      audit.entries.find((e: { reason: string }) => e.reason?.startsWith("Scheduled step 1"))?.actor.name,
    ).toBe(`schedule #${id}`);
  });

  it("pauses while the environment is frozen or a guard has tripped, and goes on when that clears", async () => {
    const created = await read(
      await t.request(
        `${base}/schedules`,
        json(
          "POST",
          {
            steps: [
              { at: at(200), action: "off" },
              { at: at(300), action: "on" },
            ],
          },
          t.auth(),
        ),
      ),
    );
    await t.request(
      "/api/v1/environments/production/freeze",
      json("PUT", { reason: "release week", until: at(10_000) }, t.auth()),
    );
    clock = new Date(at(200));
    expect(await run()).toBe(0);
    expect(await schedule(created.id)).toMatchObject({
      status: "paused",
      pausedReason: expect.stringContaining("frozen"),
    });
    expect((await state()).on).toBe(true);

    await t.request("/api/v1/environments/production/freeze", { method: "DELETE", headers: t.auth() });
    tripped = true;
    expect(await run()).toBe(0);
    expect(await schedule(created.id)).toMatchObject({
      status: "paused",
      pausedReason: "a guard of the flag has tripped",
    });

    tripped = false;
    expect(await run()).toBe(1);
    expect((await state()).on).toBe(false);
    const s = await schedule(created.id);
    expect(s.status).toBe("active");
    expect(s.log.map((l: { outcome: string }) => l.outcome)).toEqual([
      "paused",
      "paused",
      "resumed",
      "applied",
    ]);
    const audit = await read(await t.request("/api/v1/audit?action=schedule.", { headers: t.auth() }));
    const mine = audit.entries.filter(
      (e: { target: { key: string } }) => e.target.key === String(created.id),
    );
    expect(mine.map((e: { action: string }) => e.action).reverse()).toEqual([
      "schedule.create",
      "schedule.pause",
      "schedule.pause",
      "schedule.resume",
      "schedule.step",
    ]);
    expect(mine[1]).toMatchObject({
      reason: "the block cleared",
      actor: { name: `schedule #${created.id}` },
    });
  });

  it("is cancelled by an editor; a viewer cannot schedule", async () => {
    const created = await read(
      await t.request(
        `${base}/schedules`,
        json("POST", { steps: [{ at: at(400), action: "on" }] }, t.auth()),
      ),
    );
    expect(
      (await t.request(`${base}/schedules/${created.id}`, { method: "DELETE", headers: t.auth() })).status,
    ).toBe(204);
    clock = new Date(at(400));
    await run();
    expect((await schedule(created.id)).status).toBe("cancelled");
    const viewer = await t.createKey("admin", "viewer");
    const res = await t.request(
      `${base}/schedules`,
      json("POST", { steps: [{ at: at(500), action: "on" }] }, t.auth(viewer)),
    );
    expect(res.status).toBe(403);
  });

  it("pauses for a freeze by the server's clock, not the database's", async () => {
    const saved = clock;
    // Years before the database's now(): by its own clock this freeze would have ended long ago.
    clock = new Date("2001-06-01T09:00:00Z");
    try {
      const created = await read(
        await t.request(
          `${base}/schedules`,
          json("POST", { steps: [{ at: clock.toISOString(), action: "off" }] }, t.auth()),
        ),
      );
      const frozen = await t.request(
        "/api/v1/environments/production/freeze",
        json("PUT", { reason: "audit", until: "2001-06-02T00:00:00Z" }, t.auth()),
      );
      expect(frozen.status).toBe(200);
      expect(await run()).toBe(0);
      expect(await schedule(created.id)).toMatchObject({
        status: "paused",
        pausedReason: expect.stringContaining("frozen until 2001-06-02"),
      });
      await t.request(`${base}/schedules/${created.id}`, { method: "DELETE", headers: t.auth() });
      await t.request("/api/v1/environments/production/freeze", { method: "DELETE", headers: t.auth() });
    } finally {
      clock = saved;
    }
  });
});

describe("schedules across flags and environments", () => {
  const list = async (path: string) => {
    const res = await t.request(`/api/v1${path}`, { headers: t.auth() });
    return { status: res.status, body: await read(res) };
  };
  const ids = (body: { schedules: { id: number }[] }) => body.schedules.map((s) => s.id);
  const make = async (env: string, flag: string, minutes: number) =>
    (
      await read(
        await t.request(
          `/api/v1/environments/${env}/flags/${flag}/schedules`,
          json("POST", { steps: [{ at: at(minutes), action: "on" }] }, t.auth()),
        ),
      )
    ).id as number;

  it("lists an environment's schedules, or every environment's, filtered by status and flag", async () => {
    const staging = await make("staging", "banner-text", 20_000);
    const other = await make("staging", "max-items", 20_000);
    const everywhere = (await list("/schedules")).body;
    expect(everywhere.schedules.map((s: { environment: string }) => s.environment)).toEqual(
      expect.arrayContaining(["production", "staging"]),
    );
    const inStaging = await list("/environments/staging/schedules");
    expect(inStaging.status).toBe(200);
    expect(ids(inStaging.body)).toEqual([staging, other]);
    expect(ids((await list("/environments/staging/schedules?flag=max-items")).body)).toEqual([other]);
    expect(ids((await list("/schedules?environment=staging&flag=banner-text")).body)).toEqual([staging]);

    const production = (await list("/environments/production/schedules")).body.schedules as {
      id: number;
      status: string;
    }[];
    const done = production.filter((s) => s.status === "done").map((s) => s.id);
    expect(done.length).toBeGreaterThan(0);
    expect(ids((await list("/environments/production/schedules?status=done")).body)).toEqual(done);
    expect(ids((await list("/schedules?status=done")).body)).toEqual(done);
    // Pending: waiting for its next step (active); paused ones are listed apart.
    expect(ids((await list("/schedules?status=pending")).body)).toEqual(
      expect.arrayContaining([staging, other]),
    );
    const pending = (await list("/schedules?status=pending")).body.schedules as { status: string }[];
    expect(pending.every((s) => s.status === "active")).toBe(true);
    const paused = (await list("/schedules?status=paused")).body.schedules as { status: string }[];
    expect(paused.every((s) => s.status === "paused")).toBe(true);
  });

  it("answers a bad filter or an unknown environment with problem details", async () => {
    const bad = await t.request("/api/v1/schedules?status=later", { headers: t.auth() });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect((await read(bad)).errors.map((e: { path: string }) => e.path)).toContain("status");
    expect((await list("/environments/nowhere/schedules")).status).toBe(404);
  });

  it("is in the OpenAPI document, with its filters", async () => {
    const doc = await read(await t.request("/api/openapi.json"));
    const names = (path: string) =>
      doc.paths[path]?.get?.parameters.map((p: { name: string }) => p.name) as string[];
    expect(names("/api/v1/environments/{env}/schedules")).toEqual(
      expect.arrayContaining(["env", "status", "flag"]),
    );
    expect(names("/api/v1/schedules")).toEqual(expect.arrayContaining(["environment", "status", "flag"]));
  });
});

describe("scheduled changes in an environment that requires approval", () => {
  const checkout = "/api/v1/environments/production/flags/new-checkout";
  const protect = async (on: boolean) => {
    const env = await read(await t.request("/api/v1/environments/production", { headers: t.auth() }));
    await t.request(
      "/api/v1/environments/production",
      json("PATCH", { requiresApproval: on, version: env.version }, t.auth()),
    );
  };
  beforeAll(() => protect(true));
  afterAll(() => protect(false));

  it("files the schedule as a change request; once another editor approves it, its steps run by themselves", async () => {
    const ana = await t.createKey("admin", "editor");
    const bo = await t.createKey("admin", "editor");
    clock = new Date(at(590));
    const steps = [{ at: at(600), action: "off" }];
    const filed = await t.request(`${checkout}/schedules`, json("POST", { steps }, t.auth(ana)));
    expect(filed.status).toBe(202);
    const { changeRequest } = await read(filed);
    expect(changeRequest).toMatchObject({
      kind: "schedule",
      status: "pending",
      changes: { schedule: steps },
    });
    const listed = async () =>
      (await read(await t.request(`${checkout}/schedules`, { headers: t.auth() }))).schedules;
    expect(await listed()).toEqual([]);
    clock = new Date(at(600));
    await run();
    expect((await read(await t.request(checkout, { headers: t.auth() }))).on).toBe(true);

    const decide = (secret: string) =>
      t.request(`/api/v1/change-requests/${changeRequest.id}/approve`, json("POST", {}, t.auth(secret)));
    expect((await decide(ana)).status).toBe(403);
    const approved = await decide(bo);
    expect(approved.status).toBe(200);
    const [created] = await listed();
    expect(created).toMatchObject({ status: "active", createdBy: "test admin", steps });

    await run();
    expect((await read(await t.request(checkout, { headers: t.auth() }))).on).toBe(false);
    const audit = await read(
      await t.request("/api/v1/audit?flag=new-checkout&environment=production", { headers: t.auth() }),
    );
    expect(audit.entries.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      "schedule.step",
      "change-request.approve",
      "schedule.create",
    ]);
  });
});

describe("after a pause", () => {
  const logOf = async (path: string, id: number) =>
    (
      (await read(await t.request(`${path}/schedules`, { headers: t.auth() }))).schedules as {
        id: number;
        status: string;
        nextStep: number;
        pausedReason: string | null;
        log: { outcome: string }[];
      }[]
    ).find((s) => s.id === id);

  it("resumes when the freeze lifts but waits for the next step's own time", async () => {
    const path = "/api/v1/environments/production/flags/banner-text";
    clock = new Date(at(700));
    const created = await read(
      await t.request(
        `${path}/schedules`,
        json("POST", { steps: [{ at: at(800), action: "off" }] }, t.auth()),
      ),
    );
    const freeze = "/api/v1/environments/production/freeze";
    await t.request(freeze, json("PUT", { reason: "release week", until: at(10_000) }, t.auth()));
    expect(await run()).toBe(0);
    expect(await logOf(path, created.id)).toMatchObject({ status: "paused", nextStep: 0 });

    await t.request(freeze, { method: "DELETE", headers: t.auth() });
    clock = new Date(at(760));
    const before = await read(await t.request(path, { headers: t.auth() }));
    expect(await run()).toBe(0); // resumed, but its step is not due yet
    expect(await logOf(path, created.id)).toMatchObject({ status: "active", nextStep: 0 });
    expect((await read(await t.request(path, { headers: t.auth() }))).version).toBe(before.version);

    clock = new Date(at(800));
    expect(await run()).toBe(1);
    const done = await logOf(path, created.id);
    expect(done).toMatchObject({ status: "done", nextStep: 1 });
    expect(done?.log.map((l) => l.outcome)).toEqual(["paused", "resumed", "applied"]);
  });

  it("pauses on a guard that really tripped (no injected check) and goes on once it is re-armed", async () => {
    const flag = "ramped-and-guarded";
    const path = `/api/v1/environments/production/flags/${flag}`;
    await t.request("/api/v1/flags", json("POST", { key: flag, name: flag, kind: "boolean" }, t.auth()));
    await t.request(`${path}/dark-launch/advance`, json("POST", { to: "shadow" }, t.auth()));
    const guard = { metric: "mismatch_rate", limit: 0.01, action: "stop_ramp" };
    expect((await t.request(`${path}/guards`, json("PUT", { guards: [guard] }, t.auth()))).status).toBe(200);
    clock = new Date(at(900));
    const created = await read(
      await t.request(
        `${path}/schedules`,
        json("POST", { steps: [{ at: at(1000), action: "rollout", percentage: 25 }] }, t.auth()),
      ),
    );

    const latency = Array.from({ length: SHADOW_LATENCY_BUCKETS_MS.length + 1 }, (_, i) =>
      i === 6 ? 100 : 0,
    );
    const bad = {
      calls: 100,
      shadowed: 100,
      matches: 50,
      mismatches: 50,
      candidateErrors: 0,
      controlErrors: 0,
    };
    for (let i = 0; i < 10; i++) {
      await observeShadowReport(t.deps, "production", {
        [flag]: {
          ...bad,
          timeouts: 0,
          skipped: 0,
          controlLatency: latency,
          candidateLatency: latency,
          samples: [],
        },
      });
    }
    const real = () => runDueSchedules({ ...t.deps, now: () => clock });
    clock = new Date(at(1000));
    expect(await real()).toBe(0);
    expect(await logOf(path, created.id)).toMatchObject({
      status: "paused",
      nextStep: 0,
      pausedReason: "a guard of the flag has tripped",
    });

    const rearmed = await t.request(`${path}/guards/rearm`, json("POST", { reason: "fixed" }, t.auth()));
    expect(rearmed.status).toBe(200);
    expect(await real()).toBe(1);
    expect(await logOf(path, created.id)).toMatchObject({ status: "done", nextStep: 1 });
    const state = await read(await t.request(path, { headers: t.auth() }));
    expect(state.fallthrough.rollout.weights[0]).toEqual({ variation: "on", weight: 25_000 });
  });
});
