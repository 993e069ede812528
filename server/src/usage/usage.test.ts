import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { type StaleInputFlag, staleVerdict } from "./stale.js";

const DAY = 86_400_000;
const t0 = new Date("2026-01-01T00:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const env = (over: Partial<StaleInputFlag["environments"][number]> = {}) => ({
  environment: "production",
  on: true,
  offVariation: "off",
  hasTargets: false,
  hasRules: false,
  fallthrough: { variation: "on" },
  updatedAt: t0,
  lastEvaluated: t0,
  ...over,
});
const flag = (over: Partial<StaleInputFlag> = {}): StaleInputFlag => ({
  key: "new-checkout",
  temporary: true,
  createdAt: t0,
  environments: [env(), env({ environment: "staging" })],
  ...over,
});

describe("stale verdicts", () => {
  it("a temporary flag nobody evaluated for longer than the limit is stale", () => {
    const rules = [env({ hasRules: true }), env({ environment: "staging", hasRules: true })];
    expect(staleVerdict(flag({ environments: rules }), at(20), 30).stale).toBe(false);
    expect(staleVerdict(flag({ environments: rules }), at(31), 30)).toMatchObject({
      stale: true,
      why: "not evaluated for 31 days",
    });
  });

  it("a temporary flag serving one variation everywhere, unchanged for long, is stale even if used", () => {
    const used = flag({
      environments: [env({ lastEvaluated: at(39) }), env({ environment: "staging", lastEvaluated: at(39) })],
    });
    expect(staleVerdict(used, at(40), 30)).toMatchObject({ stale: true, servesEverywhere: "on" });
    expect(staleVerdict(used, at(40), 30).why).toMatch(/serves "on" to everyone in every environment/);
  });

  it("a rollout, a rule or a different answer per environment keeps it fresh; permanent flags never go stale", () => {
    const split = {
      rollout: {
        weights: [
          { variation: "on", weight: 50_000 },
          { variation: "off", weight: 50_000 },
        ],
      },
    };
    const recent = { lastEvaluated: at(39) };
    expect(
      staleVerdict(flag({ environments: [env({ ...recent, fallthrough: split })] }), at(40), 30).stale,
    ).toBe(false);
    expect(
      staleVerdict(
        flag({ environments: [env(recent), env({ ...recent, environment: "staging", on: false })] }),
        at(40),
        30,
      ).stale,
    ).toBe(false);
    expect(staleVerdict(flag({ temporary: false }), at(400), 30).stale).toBe(false);
  });

  it("a flag never evaluated since it was created says so", () => {
    const never = flag({ environments: [env({ lastEvaluated: null, hasRules: true })] });
    expect(staleVerdict(never, at(45), 30)).toMatchObject({ stale: true, lastEvaluated: null });
    expect(staleVerdict(never, at(45), 30).why).toMatch(/never evaluated in the 45 days/);
  });
});

let t: TestServer;
let now = new Date();
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => now });
});
afterAll(() => t.close());

describe("GET /api/v1/usage", () => {
  it("lists every flag with recent evaluations and its stale verdict", async () => {
    await t.request(
      "/api/v1/flags",
      json("POST", { key: "old-banner", name: "Old banner", kind: "boolean", temporary: true }, t.auth()),
    );
    const sdkKey = await t.createKey("server", "production");
    const report = {
      instanceId: "i-1",
      sdk: "test",
      start: Date.now() - 1000,
      end: Date.now(),
      evaluations: [{ flag: "new-checkout", variant: "on", count: 7 }],
    };
    expect((await t.request("/sdk/v1/metrics", json("POST", report, t.auth(sdkKey)))).status).toBe(202);

    type Overview = {
      flags: { flag: string; stale: boolean; evaluationsLast7Days: Record<string, number> }[];
    };
    const overview = await vi.waitFor(
      async () => {
        const body: Overview = await read(await t.request("/api/v1/usage", { headers: t.auth() }));
        expect(body.flags.find((f) => f.flag === "new-checkout")?.evaluationsLast7Days.production).toBe(7);
        return body;
      },
      { timeout: 5000 },
    );
    expect(overview.flags.find((f) => f.flag === "old-banner")).toMatchObject({ stale: false });

    now = new Date(now.getTime() + 40 * DAY);
    const later: Overview = await read(
      await t.request("/api/v1/usage?staleAfterDays=30", { headers: t.auth() }),
    );
    expect(later.flags.find((f) => f.flag === "old-banner")).toMatchObject({ stale: true });
  });

  it("refuses a bad staleAfterDays with problem details naming it", async () => {
    const res = await t.request("/api/v1/usage?staleAfterDays=soon", { headers: t.auth() });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await read(res))).toContain("staleAfterDays");
  });
});
