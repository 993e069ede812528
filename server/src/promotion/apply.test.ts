import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

const state = async (env: string, flag: string) =>
  read(await t.request(`/api/v1/environments/${env}/flags/${flag}`, { headers: t.auth() }));
const setupOf = (s: Record<string, unknown>) => ({
  on: s.on,
  offVariation: s.offVariation,
  targets: s.targets,
  rules: s.rules,
  fallthrough: s.fallthrough,
  prerequisites: s.prerequisites,
  shadow: s.shadow,
});
const preview = (body: unknown) => t.request("/api/v1/promotions/preview", json("POST", body, t.auth()));
const promote = (body: unknown, secret?: string) =>
  t.request("/api/v1/promotions", json("POST", body, t.auth(secret)));

describe("promotion preview and apply", () => {
  it("previews a readable diff and applies exactly what it showed, in one audit entry", async () => {
    const staging = await state("staging", "new-checkout");
    await t.request(
      "/api/v1/environments/staging/flags/new-checkout",
      json(
        "PATCH",
        {
          version: staging.version,
          rules: [
            ...staging.rules,
            {
              id: "eu",
              clauses: [{ attribute: "country", op: "in", values: ["DE", "FR"] }],
              serve: { variation: "on" },
            },
          ],
          shadow: { sampleRate: 5000, stickiness: "user", timeoutMs: 200 },
        },
        t.auth(),
      ),
    );
    const res = await preview({ from: "staging", to: ["production"], flags: ["new-checkout"] });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.blocked).toBe(false);
    const plan = body.targets[0].flags[0];
    expect(plan.changes).toEqual(
      expect.arrayContaining([
        'rule 2 ("eu") added: country in DE, FR → on',
        "fallthrough: off → rollout on 20% / off 80%",
        "shadow sample 5% added",
      ]),
    );
    // nothing changed yet
    expect((await state("production", "new-checkout")).version).toBe(plan.before.version);

    const applied = await promote({
      from: "staging",
      to: ["production"],
      flags: ["new-checkout"],
      expectedPreview: body.hash,
    });
    expect(applied.status).toBe(201);
    const outcome = await read(applied);
    expect(outcome.status).toBe("applied");
    expect(outcome.rulesetVersions.production).toBeGreaterThan(0);
    expect(setupOf(await state("production", "new-checkout"))).toEqual(plan.after);

    const audit = await read(await t.request("/api/v1/audit?action=promotion.apply", { headers: t.auth() }));
    const entries = audit.entries.filter(
      (e: { target: { key: string } }) => e.target.key === String(outcome.id),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].after.environments.production["new-checkout"].changes).toEqual(plan.changes);
  });

  it("answers 409 when the source changed since the preview", async () => {
    const body = await read(await preview({ from: "development", to: ["staging"], tag: "marketing" }));
    const dev = await state("development", "banner-text");
    await t.request(
      "/api/v1/environments/development/flags/banner-text",
      json("PATCH", { version: dev.version, offVariation: "sale" }, t.auth()),
    );
    const res = await promote({
      from: "development",
      to: ["staging"],
      tag: "marketing",
      expectedPreview: body.hash,
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

async function createFlag(key: string, tags: string[] = []) {
  const res = await t.request(
    "/api/v1/flags",
    json("POST", { key, name: key, kind: "boolean", tags }, t.auth()),
  );
  expect(res.status).toBe(201);
}

async function patch(env: string, flag: string, changes: Record<string, unknown>) {
  const current = await state(env, flag);
  const res = await t.request(
    `/api/v1/environments/${env}/flags/${flag}`,
    json("PATCH", { version: current.version, ...changes }, t.auth()),
  );
  expect(res.status).toBe(200);
  return read(res);
}

describe("promotion safety", () => {
  it("applies all flags or none: one invalid flag leaves every target unchanged and is named", async () => {
    await createFlag("pay-a");
    await createFlag("pay-b");
    await patch("production", "pay-b", { prerequisites: [{ flagKey: "pay-a", variation: "on" }] });
    await patch("staging", "pay-a", { on: true, prerequisites: [{ flagKey: "pay-b", variation: "on" }] });
    await patch("staging", "max-items", { fallthrough: { variation: "large" } });
    const before = {
      items: await state("production", "max-items"),
      a: await state("production", "pay-a"),
    };

    const body = await read(
      await preview({ from: "staging", to: ["production"], flags: ["max-items", "pay-a"] }),
    );
    expect(body.blocked).toBe(true);
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0]).toMatchObject({ flag: "pay-a", environment: "production", kind: "invalid" });
    expect(body.problems[0].message).toContain("cycle");

    const res = await promote({
      from: "staging",
      to: ["production"],
      flags: ["max-items", "pay-a"],
      expectedPreview: body.hash,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await read(res);
    expect(problem.detail).toContain('"pay-a"');
    expect(problem.errors[0].path).toBe("production.pay-a.prerequisites");
    expect(await state("production", "max-items")).toEqual(before.items);
    expect(await state("production", "pay-a")).toEqual(before.a);
    const list = await read(await t.request("/api/v1/promotions", { headers: t.auth() }));
    expect(list.promotions.every((p: { flags: string[] }) => !p.flags.includes("pay-a"))).toBe(true);
  });

  it("blocks on a segment missing in the target, naming flag and segment, never dropping the rule", async () => {
    const created = await t.request(
      "/api/v1/environments/staging/segments",
      json("POST", { key: "beta-testers", name: "Beta testers", included: ["u1"] }, t.auth()),
    );
    expect(created.status).toBe(201);
    await createFlag("beta-search");
    await patch("staging", "beta-search", {
      on: true,
      rules: [
        {
          id: "betas",
          clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["beta-testers"] }],
          serve: { variation: "on" },
        },
      ],
    });
    const before = await state("production", "beta-search");
    const body = await read(await preview({ from: "staging", to: ["production"], flags: ["beta-search"] }));
    expect(body.blocked).toBe(true);
    expect(body.problems).toEqual([
      expect.objectContaining({ kind: "missing-segment", flag: "beta-search", segment: "beta-testers" }),
    ]);
    expect(body.problems[0].message).toContain('production has no segment "beta-testers"');
    const res = await promote({
      from: "staging",
      to: ["production"],
      flags: ["beta-search"],
      expectedPreview: body.hash,
    });
    expect(res.status).toBe(400);
    const problem = await read(res);
    expect(problem.detail).toContain('segment "beta-testers"');
    expect(problem.errors[0].path).toBe("production.beta-search.rules.0.clauses.0.values.0");
    expect(await state("production", "beta-search")).toEqual(before);
  });

  it("promotes a tag to several environments and reverts exactly the replaced setups, once", async () => {
    await createFlag("rel-one", ["release-42"]);
    await createFlag("rel-two", ["release-42"]);
    await patch("development", "rel-one", {
      on: true,
      fallthrough: {
        rollout: {
          weights: [
            { variation: "on", weight: 50_000 },
            { variation: "off", weight: 50_000 },
          ],
        },
      },
    });
    await patch("development", "rel-two", { on: true, targets: [{ variation: "on", values: ["user-zed"] }] });
    await patch("production", "rel-two", {
      fallthrough: {
        rollout: {
          weights: [
            { variation: "on", weight: 20_000 },
            { variation: "off", weight: 80_000 },
          ],
        },
      },
    });
    const replaced = {
      staging: { one: await state("staging", "rel-one"), two: await state("staging", "rel-two") },
      production: { one: await state("production", "rel-one"), two: await state("production", "rel-two") },
    };
    const body = await read(
      await preview({ from: "development", to: ["staging", "production"], tag: "release-42" }),
    );
    expect(body.flags).toEqual(["rel-one", "rel-two"]);
    expect(body.targets.map((x: { environment: string }) => x.environment)).toEqual([
      "staging",
      "production",
    ]);
    const prodTwo = body.targets[1].flags[1];
    expect(prodTwo.changes).toEqual([
      "turned on",
      "individual targets → on added: user-zed",
      "fallthrough: rollout on 20% / off 80% → on",
    ]);
    const applied = await read(
      await promote({
        from: "development",
        to: ["staging", "production"],
        tag: "release-42",
        expectedPreview: body.hash,
      }),
    );
    expect(applied.status).toBe("applied");
    for (const target of body.targets) {
      for (const plan of target.flags) {
        expect(setupOf(await state(target.environment, plan.flag))).toEqual(plan.after);
      }
    }

    const reverted = await t.request(`/api/v1/promotions/${applied.id}/revert`, json("POST", {}, t.auth()));
    expect(reverted.status).toBe(200);
    expect((await read(reverted)).promotion).toMatchObject({ status: "reverted" });
    expect(setupOf(await state("staging", "rel-one"))).toEqual(setupOf(replaced.staging.one));
    expect(setupOf(await state("staging", "rel-two"))).toEqual(setupOf(replaced.staging.two));
    expect(setupOf(await state("production", "rel-one"))).toEqual(setupOf(replaced.production.one));
    expect(setupOf(await state("production", "rel-two"))).toEqual(setupOf(replaced.production.two));
    const again = await t.request(`/api/v1/promotions/${applied.id}/revert`, {
      method: "POST",
      headers: t.auth(),
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");

    const audit = await read(await t.request("/api/v1/audit?action=promotion.revert", { headers: t.auth() }));
    expect(
      audit.entries.filter((e: { target: { key: string } }) => e.target.key === String(applied.id)),
    ).toHaveLength(1);
  });

  it("refuses to revert over a later change unless forced", async () => {
    await createFlag("rel-three");
    await patch("staging", "rel-three", { on: true });
    const body = await read(await preview({ from: "staging", to: ["production"], flags: ["rel-three"] }));
    const applied = await read(
      await promote({
        from: "staging",
        to: ["production"],
        flags: ["rel-three"],
        expectedPreview: body.hash,
      }),
    );
    await patch("production", "rel-three", { offVariation: "on" });
    const refused = await t.request(`/api/v1/promotions/${applied.id}/revert`, json("POST", {}, t.auth()));
    expect(refused.status).toBe(409);
    expect((await read(refused)).detail).toContain("changed after the promotion");
    const forced = await t.request(
      `/api/v1/promotions/${applied.id}/revert`,
      json("POST", { force: true }, t.auth()),
    );
    expect(forced.status).toBe(200);
    expect(setupOf(await state("production", "rel-three"))).toEqual(setupOf(body.targets[0].flags[0].before));
  });
});

describe("bad input", () => {
  const cases: [string, unknown, string][] = [
    ["no selector", { from: "staging", to: ["production"] }, "flags"],
    ["both selectors", { from: "staging", to: ["production"], flags: ["max-items"], tag: "ui" }, "flags"],
    ["unknown target", { from: "staging", to: ["moon"], flags: ["max-items"] }, "to.0"],
    ["target is the source", { from: "staging", to: ["staging"], flags: ["max-items"] }, "to.0"],
    ["duplicate target", { from: "staging", to: ["production", "production"], flags: ["max-items"] }, "to.1"],
    ["unknown flag", { from: "staging", to: ["production"], flags: ["nope"] }, "flags.0"],
    ["unknown tag", { from: "staging", to: ["production"], tag: "no-such-tag" }, "tag"],
    ["empty targets", { from: "staging", to: [], flags: ["max-items"] }, "to"],
  ];
  for (const [name, body, path] of cases) {
    it(`answers a 400 problem naming ${path} for ${name}`, async () => {
      const res = await preview(body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((await read(res)).errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  }

  it("needs the preview hash and an editor to promote", async () => {
    const missing = await promote({ from: "staging", to: ["production"], flags: ["max-items"] });
    expect(missing.status).toBe(400);
    expect((await read(missing)).errors[0].path).toBe("expectedPreview");
    const viewer = await t.createKey("admin", "viewer");
    const body = await read(await preview({ from: "staging", to: ["production"], flags: ["max-items"] }));
    const refused = await promote(
      { from: "staging", to: ["production"], flags: ["max-items"], expectedPreview: body.hash },
      viewer,
    );
    expect(refused.status).toBe(403);
    expect((await t.request("/api/v1/promotions/abc", { headers: t.auth() })).status).toBe(400);
    expect((await t.request("/api/v1/promotions/99999", { headers: t.auth() })).status).toBe(404);
  });
});
