import { evaluate } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import type { StateFields } from "../flags/validate-state.js";
import { afterTrip, observeShadowReport } from "../guards/observe.js";
import { advance, currentStep, PILOT_RULE_ID } from "./steps.js";

const variations = [
  { key: "on", value: true },
  { key: "off", value: false },
];
const fresh: StateFields = {
  on: false,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "on" },
  prerequisites: [],
  shadow: null,
};

describe("the dark-launch path, as state", () => {
  it("walks off → shadow → pilot → rollout → done, each step read back from the state it wrote", () => {
    const shadow = advance(fresh, variations, {});
    expect(currentStep(shadow, variations)).toMatchObject({
      step: "shadow",
      next: "pilot",
      candidate: "on",
      control: "off",
      shadowSampleRate: 5,
    });
    expect(shadow.fallthrough).toEqual({ variation: "off" });

    const pilot = advance(shadow, variations, { segment: "pilot-users" });
    expect(currentStep(pilot, variations)).toMatchObject({ step: "pilot", pilotSegment: "pilot-users" });
    expect(pilot.shadow?.sampleRate).toBe(5_000);

    const rollout = advance(pilot, variations, { percentage: 25 });
    expect(currentStep(rollout, variations)).toMatchObject({ step: "rollout", percentage: 25, next: "done" });
    expect(rollout.rules[0]?.id).toBe(PILOT_RULE_ID);

    const done = advance(rollout, variations, {});
    expect(currentStep(done, variations)).toMatchObject({ step: "done", next: null, percentage: 100 });
    expect(done.shadow).toMatchObject({ sampleRate: 0, candidateVariation: "on" });
    expect(done.rules).toEqual([]);
    expect(() => advance(done, variations, {})).toThrow(/no next step/);
  });

  it("reads what is served after a guard stopped the ramp: the old code everywhere is the shadow step", () => {
    const pilot = advance(advance(fresh, variations, {}), variations, { segment: "pilot-users" });
    const stopped = afterTrip(pilot, "stop_ramp");
    expect(stopped.rules[0]).toMatchObject({ id: PILOT_RULE_ID, serve: { variation: "off" } });
    expect(currentStep(stopped, variations)).toMatchObject({ step: "shadow", next: "pilot" });
    const rollout = advance(pilot, variations, { percentage: 30 });
    expect(currentStep(afterTrip(rollout, "stop_ramp"), variations).step).toBe("shadow");
    expect(currentStep(afterTrip(rollout, "kill"), variations).step).toBe("off");
  });

  it("keeps rules it does not own and refuses a pilot step without a segment", () => {
    const other = { id: "staff", clauses: [], serve: { variation: "on" } };
    const shadow = advance({ ...fresh, rules: [other] }, variations, {});
    expect(shadow.rules).toEqual([other]);
    expect(() => advance(shadow, variations, {})).toThrow(/segment/);
    expect(() => advance(shadow, variations, { to: "rollout", percentage: 100 })).toThrow(/less than 100/);
  });
});

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

const path = "/api/v1/environments/staging/flags/pricing-v2/dark-launch";
async function step(body: Record<string, unknown> = {}) {
  const res = await t.request(`${path}/advance`, json("POST", body, t.auth()));
  const payload = await read(res);
  if (res.status !== 200) return { status: res.status, payload };
  await vi.waitFor(() =>
    expect(t.deps.rulesets.server("staging")?.version).toBeGreaterThanOrEqual(
      payload.rulesetVersions.staging,
    ),
  );
  return { status: 200, payload };
}
const serves = (user: string) =>
  evaluate(t.deps.rulesets.server("staging")?.compiled as never, "pricing-v2", { targetingKey: user }, false)
    .value;
const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
const share = () => users.filter((u) => serves(u)).length / users.length;

describe("dark launch over HTTP", () => {
  it("moves a flag along the four steps, each an audited state edit that reaches the evaluator", async () => {
    const created = await t.request(
      "/api/v1/flags",
      json("POST", { key: "pricing-v2", name: "Pricing v2", kind: "boolean", temporary: true }, t.auth()),
    );
    expect(created.status).toBe(201);
    expect(await read(await t.request(path, { headers: t.auth() }))).toMatchObject({
      step: "off",
      next: "shadow",
      readyForRemoval: false,
    });

    const shadow = await step({ sampleRate: 10 });
    expect(shadow.payload.darkLaunch).toMatchObject({ step: "shadow", shadowSampleRate: 10 });
    expect(serves("user-alice")).toBe(false);
    expect(share()).toBe(0);

    const pilot = await step({ segment: "pilot-users" });
    expect(pilot.payload.darkLaunch.step).toBe("pilot");
    expect(serves("user-alice")).toBe(true);
    expect(share()).toBe(0);

    const rollout = await step({ percentage: 20 });
    expect(rollout.payload.darkLaunch).toMatchObject({ step: "rollout", percentage: 20 });
    expect(serves("user-alice")).toBe(true);
    expect(share()).toBeGreaterThan(0.17);
    expect(share()).toBeLessThan(0.23);

    const done = await step();
    expect(done.payload.darkLaunch.step).toBe("done");
    expect(share()).toBe(1);

    const audit = await read(
      await t.request("/api/v1/audit?flag=pricing-v2&environment=staging", { headers: t.auth() }),
    );
    const reasons = (audit.entries ?? audit.items ?? audit).map((e: { reason: string }) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "Dark launch: off → shadow",
        "Dark launch: shadow → pilot (pilot-users)",
        "Dark launch: pilot → rollout 20%",
        "Dark launch: rollout → done",
      ]),
    );
  });

  it("says a flag is ready for removal only when it is done in every environment", async () => {
    expect((await read(await t.request(path, { headers: t.auth() }))).readyForRemoval).toBe(false);
    for (const env of ["development", "production"]) {
      const res = await t.request(
        `/api/v1/environments/${env}/flags/pricing-v2/dark-launch/advance`,
        json("POST", { to: "done" }, t.auth()),
      );
      expect(res.status).toBe(200);
    }
    expect((await read(await t.request(path, { headers: t.auth() }))).readyForRemoval).toBe(true);
  });

  it("refuses bad input with problem details naming the field, and stale versions with 409", async () => {
    const noSegment = await t.request(
      "/api/v1/environments/production/flags/new-checkout/dark-launch/advance",
      json("POST", { to: "pilot" }, t.auth()),
    );
    expect(noSegment.status).toBe(400);
    expect(noSegment.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await read(noSegment))).toContain("segment");

    const badPercent = await t.request(
      `${path}/advance`,
      json("POST", { to: "rollout", percentage: 140 }, t.auth()),
    );
    expect(badPercent.status).toBe(400);
    expect(JSON.stringify(await read(badPercent))).toContain("percentage");

    const stale = await t.request(`${path}/advance`, json("POST", { to: "shadow", version: 1 }, t.auth()));
    expect(stale.status).toBe(409);

    const viewer = await t.createKey("admin", "viewer");
    const forbidden = await t.request(`${path}/advance`, json("POST", { to: "shadow" }, t.auth(viewer)));
    expect(forbidden.status).toBe(403);
  });
});

describe("moving on after a guard tripped", () => {
  const flagPath = "/api/v1/environments/production/flags/guarded-move";
  const badReport = {
    calls: 100,
    shadowed: 100,
    matches: 40,
    mismatches: 60,
    candidateErrors: 0,
    controlErrors: 0,
    timeouts: 0,
    skipped: 0,
    controlLatency: [],
    candidateLatency: [],
    samples: [],
  };
  const guardsNow = async () =>
    (await read(await t.request(`${flagPath}/guards`, { headers: t.auth() }))).guards;

  it("is refused with 409 naming the trip until acknowledged; then the guard is re-armed and watches again", async () => {
    await t.request(
      "/api/v1/flags",
      json("POST", { key: "guarded-move", name: "g", kind: "boolean" }, t.auth()),
    );
    expect((await t.request(`${flagPath}/dark-launch/advance`, json("POST", {}, t.auth()))).status).toBe(200);
    await t.request(
      `${flagPath}/guards`,
      json("PUT", { guards: [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }] }, t.auth()),
    );
    for (let i = 0; i < 10 && (await guardsNow())[0].status === "green"; i++) {
      await observeShadowReport(t.deps, "production", { "guarded-move": badReport });
    }
    const view = await read(await t.request(`${flagPath}/dark-launch`, { headers: t.auth() }));
    expect(view).toMatchObject({ step: "off", trippedGuards: [{ metric: "mismatch_rate", action: "kill" }] });

    const refused = await t.request(
      `${flagPath}/dark-launch/advance`,
      json("POST", { to: "shadow" }, t.auth()),
    );
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const problem = await read(refused);
    expect(problem.detail).toMatch(/mismatch rate > 1%" tripped at .* killed the flag.*rearmGuards/);
    expect(problem.trippedGuards[0]).toMatchObject({ metric: "mismatch_rate", status: "tripped" });
    expect((await read(await t.request(flagPath, { headers: t.auth() }))).on).toBe(false);

    const moved = await t.request(
      `${flagPath}/dark-launch/advance`,
      json("POST", { to: "shadow", rearmGuards: true }, t.auth()),
    );
    expect(moved.status).toBe(200);
    expect((await read(moved)).darkLaunch.step).toBe("shadow");
    expect((await guardsNow())[0]).toMatchObject({ status: "green", trials: 0 });
    const audit = await read(
      await t.request("/api/v1/audit?flag=guarded-move&action=guard.rearm", { headers: t.auth() }),
    );
    expect(audit.entries[0].reason).toBe("Acknowledged to move the dark launch: off → shadow");
    await observeShadowReport(t.deps, "production", {
      "guarded-move": { ...badReport, matches: 100, mismatches: 0 },
    });
    expect((await guardsNow())[0]).toMatchObject({ status: "green", trials: 100, step: "shadow" });
  });
});
