import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { advanceGates, startGateTimer } from "./gates.js";

let t: TestServer;
let clock = new Date("2026-03-02T09:00:00Z");
const minutes = (n: number) => new Date(clock.getTime() + n * 60_000);
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => clock });
});
afterAll(() => t.close());

const state = async (env: string, flag: string) =>
  read(await t.request(`/api/v1/environments/${env}/flags/${flag}`, { headers: t.auth() }));

async function patch(env: string, flag: string, changes: Record<string, unknown>) {
  const current = await state(env, flag);
  const res = await t.request(
    `/api/v1/environments/${env}/flags/${flag}`,
    json("PATCH", { version: current.version, ...changes }, t.auth()),
  );
  expect(res.status).toBe(200);
}

async function requestPromotion(flag: string, gate: unknown, secret?: string) {
  const selection = { from: "staging", to: ["production"], flags: [flag] };
  const preview = await read(
    await t.request("/api/v1/promotions/preview", json("POST", selection, t.auth(secret))),
  );
  const res = await t.request(
    "/api/v1/promotions",
    json("POST", { ...selection, expectedPreview: preview.hash, gate }, t.auth(secret)),
  );
  expect(res.status).toBe(201);
  return { preview, created: await read(res) };
}

describe("approval gate", () => {
  it("waits for another editor: self-approval and viewers are refused, a second editor applies it", async () => {
    const alice = await t.createKey("admin", "editor");
    const bob = await t.createKey("admin", "editor");
    const viewer = await t.createKey("admin", "viewer");
    await patch("staging", "theme-config", { fallthrough: { variation: "dark" } });
    const before = await state("production", "theme-config");
    const { preview, created } = await requestPromotion("theme-config", { type: "approval" }, alice);
    expect(created.status).toBe("pending");
    expect(await state("production", "theme-config")).toEqual(before);

    const approve = (secret: string, comment = "looks good") =>
      t.request(`/api/v1/promotions/${created.id}/approve`, json("POST", { comment }, t.auth(secret)));
    const self = await approve(alice);
    expect(self.status).toBe(403);
    expect(self.headers.get("content-type")).toContain("application/problem+json");
    expect((await read(self)).detail).toContain("another editor or admin");
    expect((await approve(viewer)).status).toBe(403);
    expect(await state("production", "theme-config")).toEqual(before);

    const approved = await approve(bob, "checked the dark theme in staging");
    expect(approved.status).toBe(200);
    const body = await read(approved);
    expect(body.status).toBe("applied");
    expect(body.promotion.gateRecord).toEqual([
      expect.objectContaining({
        gate: "approval",
        outcome: "passed",
        comment: "checked the dark theme in staging",
      }),
    ]);
    const after = await state("production", "theme-config");
    expect(after.fallthrough).toEqual(preview.targets[0].flags[0].after.fallthrough);
    expect((await approve(bob)).status).toBe(409);
  });

  it("refuses self-approval through an admin token the requester created", async () => {
    const created = await t.request(
      "/api/v1/users",
      json(
        "POST",
        { email: "carol@example.com", name: "Carol", role: "admin", password: "correct horse battery" },
        t.auth(),
      ),
    );
    expect(created.status).toBe(201);
    const login = await t.request(
      "/api/v1/auth/login",
      json("POST", { email: "carol@example.com", password: "correct horse battery" }),
    );
    const session = { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
    const key = await read(
      await t.request(
        "/api/v1/keys",
        json("POST", { name: "carol ci", kind: "admin", role: "editor" }, session),
      ),
    );
    await patch("staging", "max-items", { fallthrough: { variation: "medium" } });
    const selection = { from: "staging", to: ["production"], flags: ["max-items"] };
    const preview = await read(
      await t.request("/api/v1/promotions/preview", json("POST", selection, session)),
    );
    const pending = await read(
      await t.request(
        "/api/v1/promotions",
        json("POST", { ...selection, expectedPreview: preview.hash, gate: { type: "approval" } }, session),
      ),
    );
    const approve = await t.request(
      `/api/v1/promotions/${pending.id}/approve`,
      json("POST", {}, t.auth(key.secret)),
    );
    expect(approve.status).toBe(403);
    expect((await read(approve)).detail).toContain("You requested this promotion");
    const cancel = await t.request(
      `/api/v1/promotions/${pending.id}/reject`,
      json("POST", { comment: "withdrawn" }, session),
    );
    expect(cancel.status).toBe(200);
  });

  it("records a rejection with its reason and never applies", async () => {
    const alice = await t.createKey("admin", "editor");
    await patch("staging", "banner-text", { offVariation: "sale" });
    const before = await state("production", "banner-text");
    const { created } = await requestPromotion("banner-text", { type: "approval" }, alice);
    const pipeline = await read(
      await t.request("/api/v1/promotions/pipeline?tag=marketing", { headers: t.auth() }),
    );
    expect(pipeline.flags[0].environments[2]).toMatchObject({
      environment: "production",
      pendingPromotion: created.id,
    });
    const noReason = await t.request(`/api/v1/promotions/${created.id}/reject`, json("POST", {}, t.auth()));
    expect(noReason.status).toBe(400);
    const rejected = await t.request(
      `/api/v1/promotions/${created.id}/reject`,
      json("POST", { comment: "not during the sale" }, t.auth()),
    );
    expect(rejected.status).toBe(200);
    const body = await read(rejected);
    expect(body.status).toBe("rejected");
    expect(body.promotion.gateRecord[0]).toMatchObject({
      outcome: "rejected",
      comment: "not during the sale",
    });
    expect(await state("production", "banner-text")).toEqual(before);
  });
});

describe("protected environments", () => {
  it("turns an ungated promotion into production into one that waits for an approval", async () => {
    const env = await read(await t.request("/api/v1/environments/production", { headers: t.auth() }));
    const protect = (on: boolean, version: number) =>
      t.request(
        "/api/v1/environments/production",
        json("PATCH", { requiresApproval: on, version }, t.auth()),
      );
    const protectedEnv = await read(await protect(true, env.version));
    try {
      await patch("staging", "max-items", { fallthrough: { variation: "small" } });
      const { created } = await requestPromotion("max-items", undefined);
      expect(created.status).toBe("pending");
      expect(created.promotion.gate).toEqual({ type: "approval" });
    } finally {
      await protect(false, protectedEnv.environment.version);
    }
  });
});

describe("soak gate", () => {
  it("applies once the source setup has been live long enough, not while a guard is tripped", async () => {
    await patch("staging", "search-ranking", {
      fallthrough: {
        rollout: {
          weights: [
            { variation: "classic", weight: 20_000 },
            { variation: "hybrid", weight: 80_000 },
          ],
        },
      },
    });
    const liveSince = clock;
    const { preview, created } = await requestPromotion("search-ranking", { type: "soak", minutes: 60 });
    expect(created.status).toBe("pending");
    const before = await state("production", "search-ranking");
    let tripped = true;
    const guardsTripped = async () => tripped;

    expect((await advanceGates(t.deps, minutes(30), { guardsTripped })).waiting).toEqual([
      { id: created.id, why: expect.stringContaining("30 of 60 minutes") },
    ]);
    const early = await advanceGates(t.deps, minutes(61), { guardsTripped });
    expect(early.waiting[0]?.why).toContain("guard");
    expect(await state("production", "search-ranking")).toEqual(before);

    tripped = false;
    await t.deps.db
      .insertInto("shadow_reports")
      .values({
        environment_key: "staging",
        flag_key: "search-ranking",
        minute: minutes(10),
        calls: 100,
        shadowed: 100,
        matches: 50,
        mismatches: 50,
        candidate_errors: 0,
        control_errors: 0,
        timeouts: 0,
        skipped: 0,
        control_latency: JSON.stringify([]) as unknown as number[],
        candidate_latency: JSON.stringify([]) as unknown as number[],
        samples: JSON.stringify([]) as unknown as [],
      })
      .execute();
    const mismatching = await advanceGates(t.deps, minutes(61), { guardsTripped });
    expect(mismatching.waiting[0]?.why).toContain("mismatch rate");
    await t.deps.db.deleteFrom("shadow_reports").where("flag_key", "=", "search-ranking").execute();

    const progress = await advanceGates(t.deps, minutes(61), { guardsTripped });
    expect(progress.applied).toEqual([created.id]);
    const after = await state("production", "search-ranking");
    expect(after.fallthrough).toEqual(preview.targets[0].flags[0].after.fallthrough);
    const record = await read(await t.request(`/api/v1/promotions/${created.id}`, { headers: t.auth() }));
    expect(record.status).toBe("applied");
    expect(record.appliedBy).toBe("promotion soak gate");
    expect(record.gateRecord[0]).toMatchObject({ gate: "soak", outcome: "passed" });
    expect(record.gateRecord[0].details.flags["search-ranking"].liveSince).toBe(liveSince.toISOString());
  });

  it("asks the flag's real guards when none is injected", async () => {
    await patch("staging", "banner-text", { fallthrough: { variation: "welcome" } });
    const { created } = await requestPromotion("banner-text", { type: "soak", minutes: 5 });
    const guard = await t.deps.db
      .insertInto("guards")
      .values({
        environment_key: "staging",
        flag_key: "banner-text",
        metric: "mismatch_rate",
        limit: 0.01,
        action: "stop_ramp",
        alpha: 0.01,
        status: "tripped",
        tripped_at: minutes(1),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const held = await advanceGates(t.deps, minutes(10));
    expect(held.waiting).toContainEqual({ id: created.id, why: expect.stringContaining("guard") });
    await t.deps.db.updateTable("guards").set({ status: "green" }).where("id", "=", guard.id).execute();
    expect((await advanceGates(t.deps, minutes(10))).applied).toContain(created.id);
  });

  it("fails a soak promotion whose source changed after it was requested", async () => {
    await patch("staging", "max-items", { fallthrough: { variation: "small" } });
    const { created } = await requestPromotion("max-items", { type: "soak", minutes: 5 });
    await patch("staging", "max-items", { fallthrough: { variation: "large" } });
    const progress = await advanceGates(t.deps, minutes(10), { guardsTripped: async () => false });
    expect(progress.failed).toEqual([{ id: created.id, why: expect.stringContaining("changed in staging") }]);
    const record = await read(await t.request(`/api/v1/promotions/${created.id}`, { headers: t.auth() }));
    expect(record.status).toBe("failed");
  });
});

describe("soak gate and the target environment", () => {
  const noGuards = { guardsTripped: async () => false };

  it("waits while the target is frozen instead of failing, and applies once the freeze ends", async () => {
    await patch("staging", "banner-text", { fallthrough: { variation: "sale" } });
    const { created } = await requestPromotion("banner-text", { type: "soak", minutes: 5 });
    const lift = () =>
      t.request("/api/v1/environments/production/freeze", { method: "DELETE", headers: t.auth() });
    const frozen = await t.request(
      "/api/v1/environments/production/freeze",
      json("PUT", { reason: "release week", until: minutes(60).toISOString() }, t.auth()),
    );
    expect(frozen.status).toBe(200);
    try {
      const held = await advanceGates(t.deps, minutes(10), noGuards);
      expect(held.failed).toEqual([]);
      expect(held.waiting).toContainEqual({ id: created.id, why: expect.stringContaining("frozen until") });
      expect(
        (await read(await t.request(`/api/v1/promotions/${created.id}`, { headers: t.auth() }))).status,
      ).toBe("pending");
    } finally {
      await lift();
    }
    expect((await advanceGates(t.deps, minutes(10), noGuards)).applied).toContain(created.id);
    expect((await state("production", "banner-text")).fallthrough).toEqual({ variation: "sale" });
  });

  it("fails rather than overwrite a target changed after the request", async () => {
    await patch("staging", "max-items", { fallthrough: { variation: "medium" } });
    const { created } = await requestPromotion("max-items", { type: "soak", minutes: 5 });
    const kill = await t.request(
      "/api/v1/environments/production/flags/max-items/kill",
      json("POST", { reason: "timeouts" }, t.auth()),
    );
    expect(kill.status).toBe(200);
    const progress = await advanceGates(t.deps, minutes(10), noGuards);
    expect(progress.failed).toEqual([
      { id: created.id, why: expect.stringContaining("max-items in production changed since the promotion") },
    ]);
    expect((await state("production", "max-items")).on).toBe(false);
  });
});

describe("gate timer", () => {
  it("checks soak gates on an interval with the server's clock", async () => {
    await patch("staging", "theme-config", { fallthrough: { variation: "light" } });
    const { created } = await requestPromotion("theme-config", { type: "soak", minutes: 15 });
    const started = clock;
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const stop = startGateTimer(t.deps, { intervalMs: 1000, guardsTripped: async () => false });
    try {
      clock = new Date(started.getTime() + 14 * 60_000);
      vi.advanceTimersByTime(1000);
      const status = async () =>
        (await read(await t.request(`/api/v1/promotions/${created.id}`, { headers: t.auth() }))).status;
      expect(await status()).toBe("pending");
      clock = new Date(started.getTime() + 16 * 60_000);
      vi.advanceTimersByTime(1000);
      await vi.waitFor(async () => expect(await status()).toBe("applied"), { timeout: 5000, interval: 20 });
    } finally {
      stop();
      vi.useRealTimers();
      clock = started;
    }
  });
});

describe("pipeline view", () => {
  it("shows each flag across environments in release order, where they match and where promote applies", async () => {
    const res = await t.request("/api/v1/promotions/pipeline?tag=checkout", { headers: t.auth() });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.environments.map((e: { key: string }) => e.key)).toEqual([
      "development",
      "staging",
      "production",
    ]);
    expect(body.flags.map((f: { flag: string }) => f.flag)).toEqual(["new-checkout"]);
    const journey = body.flags[0].environments;
    expect(journey.map((j: { environment: string }) => j.environment)).toEqual([
      "development",
      "staging",
      "production",
    ]);
    expect(journey[0]).toMatchObject({ sameAsPrevious: null, promote: null });
    expect(journey[2]).toMatchObject({
      sameAsPrevious: false,
      promote: { from: "staging", to: "production", blockedBy: [] },
    });
    expect(body.flags[0].inSync).toBe(false);
    expect(journey[2].pendingPromotion).toBeNull();
  });
});

describe("roles", () => {
  it("lets viewers read and preview but not decide", async () => {
    const viewer = await t.createKey("admin", "viewer");
    const list = await t.request("/api/v1/promotions", { headers: t.auth(viewer) });
    expect(list.status).toBe(200);
    const [first] = (await read(list)).promotions;
    expect((await t.request(`/api/v1/promotions/${first.id}`, { headers: t.auth(viewer) })).status).toBe(200);
    expect((await t.request("/api/v1/promotions/pipeline", { headers: t.auth(viewer) })).status).toBe(200);
    const preview = await t.request(
      "/api/v1/promotions/preview",
      json("POST", { from: "staging", to: ["production"], flags: ["max-items"] }, t.auth(viewer)),
    );
    expect(preview.status).toBe(200);
    const revert = await t.request(`/api/v1/promotions/${first.id}/revert`, json("POST", {}, t.auth(viewer)));
    expect(revert.status).toBe(403);
  });
});
