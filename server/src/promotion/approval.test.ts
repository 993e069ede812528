import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { advanceGates } from "./gates.js";

let t: TestServer;
const clock = new Date("2026-05-04T09:00:00Z");
const later = (minutes: number) => new Date(clock.getTime() + minutes * 60_000);
let alice: string; // requester
let bob: string; // approver
const noGuards = { guardsTripped: async () => false };

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => clock });
  alice = await t.createKey("admin", "editor");
  bob = await t.createKey("admin", "editor");
});
afterAll(() => t.close());

const state = async (env: string, flag: string) =>
  read(await t.request(`/api/v1/environments/${env}/flags/${flag}`, { headers: t.auth() }));
const promotion = async (id: number) =>
  read(await t.request(`/api/v1/promotions/${id}`, { headers: t.auth() }));

async function patchStaging(flag: string, changes: Record<string, unknown>) {
  const { version } = await state("staging", flag);
  const res = await t.request(
    `/api/v1/environments/staging/flags/${flag}`,
    json("PATCH", { version, ...changes }, t.auth()),
  );
  expect(res.status).toBe(200);
}

/** Previews and asks for the promotion of one flag from staging to production; returns the raw answer. */
async function request(flag: string, gate?: unknown) {
  const selection = { from: "staging", to: ["production"], flags: [flag] };
  const preview = await read(
    await t.request("/api/v1/promotions/preview", json("POST", selection, t.auth(alice))),
  );
  return t.request(
    "/api/v1/promotions",
    json("POST", { ...selection, expectedPreview: preview.hash, ...(gate ? { gate } : {}) }, t.auth(alice)),
  );
}

const approve = (secret: string, id: number, body: Record<string, unknown> = {}) =>
  t.request(`/api/v1/promotions/${id}/approve`, json("POST", body, t.auth(secret)));

const freeze = (until: Date) =>
  t.request(
    "/api/v1/environments/production/freeze",
    json("PUT", { reason: "release week", until: until.toISOString() }, t.auth()),
  );
const lift = () =>
  t.request("/api/v1/environments/production/freeze", { method: "DELETE", headers: t.auth() });

async function protectProduction(on: boolean) {
  const env = await read(await t.request("/api/v1/environments/production", { headers: t.auth() }));
  const res = await t.request(
    "/api/v1/environments/production",
    json("PATCH", { requiresApproval: on, version: env.version }, t.auth()),
  );
  expect(res.status).toBe(200);
}

describe("approvals and freezes", () => {
  it("refuses a promotion during a freeze but files one that waits for approval; approving waits for the end", async () => {
    await patchStaging("theme-config", { fallthrough: { variation: "dark" } });
    const before = await state("production", "theme-config");
    expect((await freeze(later(60))).status).toBe(200);
    try {
      const now = await request("theme-config");
      expect(now.status).toBe(423);
      expect(now.headers.get("content-type")).toContain("application/problem+json");

      const filed = await request("theme-config", { type: "approval" });
      expect(filed.status).toBe(201);
      const { id } = await read(filed);
      const refused = await approve(bob, id, { comment: "fine" });
      expect(refused.status).toBe(423);
      expect((await read(refused)).detail).toMatch(/stays pending: approve it once the freeze ends/);
      expect((await promotion(id)).status).toBe("pending");
      expect(await state("production", "theme-config")).toEqual(before);

      expect((await lift()).status).toBe(204);
      const approved = await approve(bob, id, { comment: "after the freeze" });
      expect(approved.status).toBe(200);
      expect((await read(approved)).status).toBe("applied");
      expect((await state("production", "theme-config")).fallthrough).toEqual({ variation: "dark" });
    } finally {
      await lift();
    }
  });
});

describe("a target changed after the request", () => {
  it("is not overwritten by the approval: 409 with the new preview, which the approver can approve", async () => {
    await patchStaging("banner-text", { offVariation: "sale" });
    const { id } = await read(await request("banner-text", { type: "approval" }));
    // An incident meanwhile: production's banner is killed.
    const kill = await t.request(
      "/api/v1/environments/production/flags/banner-text/kill",
      json("POST", { reason: "wrong price" }, t.auth()),
    );
    expect(kill.status).toBe(200);

    const stale = await approve(bob, id);
    expect(stale.status).toBe(409);
    const problem = await read(stale);
    expect(problem.detail).toContain("banner-text in production changed");
    const fresh = problem.current;
    expect(fresh.targets[0].flags[0].before.on).toBe(false);
    expect(fresh.hash).not.toBe((await promotion(id)).previewHash);
    expect((await state("production", "banner-text")).on).toBe(false);
    expect((await promotion(id)).status).toBe("pending");

    const approved = await approve(bob, id, { expectedPreview: fresh.hash });
    expect(approved.status).toBe(200);
    const production = await state("production", "banner-text");
    expect(production.offVariation).toBe("sale");
    expect(production.on).toBe(fresh.targets[0].flags[0].after.on);
  });
});

describe("an environment that requires approval", () => {
  beforeAll(() => protectProduction(true));
  afterAll(() => protectProduction(false));

  it("still needs the approval when the promotion asks for a soak gate", async () => {
    await patchStaging("max-items", { fallthrough: { variation: "large" } });
    const before = await state("production", "max-items");
    const created = await request("max-items", { type: "soak", minutes: 5 });
    expect(created.status).toBe(201);
    const { id, promotion: pending } = await read(created);
    expect(pending.gate).toEqual({ type: "soak", minutes: 5, approval: true });

    const soaked = await advanceGates(t.deps, later(10), noGuards);
    expect(soaked.applied).not.toContain(id);
    expect(soaked.waiting).toContainEqual({ id, why: "waiting for an approval" });
    expect(await state("production", "max-items")).toEqual(before);

    expect((await approve(alice, id)).status).toBe(403);
    const approved = await approve(bob, id, { comment: "numbers look right" });
    expect(approved.status).toBe(200);
    expect((await read(approved)).status).toBe("pending"); // approved before the soak period passed
    expect((await approve(bob, id)).status).toBe(409);

    expect((await advanceGates(t.deps, later(10), noGuards)).applied).toEqual([id]);
    const record = await promotion(id);
    expect(record.status).toBe("applied");
    expect(record.gateRecord).toEqual([
      expect.objectContaining({ gate: "approval", outcome: "passed", comment: "numbers look right" }),
      expect.objectContaining({ gate: "soak", outcome: "passed" }),
    ]);
    expect((await state("production", "max-items")).fallthrough).toEqual({ variation: "large" });
  });

  it("makes a promotion without a gate wait for an approval", async () => {
    await patchStaging("max-items", { fallthrough: { variation: "medium" } });
    const created = await read(await request("max-items"));
    expect(created).toMatchObject({ status: "pending", promotion: { gate: { type: "approval" } } });
    await t.request(
      `/api/v1/promotions/${created.id}/reject`,
      json("POST", { comment: "later" }, t.auth(bob)),
    );
  });
});
