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
