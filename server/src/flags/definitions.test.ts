import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("flag definitions", () => {
  it("lists, filters by tag and search, and reads one", async () => {
    const all = await read(await t.request("/api/v1/flags", { headers: t.auth() }));
    expect(all.flags.map((f: { key: string }) => f.key)).toEqual([
      "banner-text",
      "max-items",
      "new-checkout",
      "search-ranking",
      "theme-config",
    ]);
    const tagged = await read(await t.request("/api/v1/flags?tag=payments", { headers: t.auth() }));
    expect(tagged.flags.map((f: { key: string }) => f.key)).toEqual(["new-checkout"]);
    const searched = await read(await t.request("/api/v1/flags?q=THEME", { headers: t.auth() }));
    expect(searched.flags).toHaveLength(1);
    const one = await read(await t.request("/api/v1/flags/max-items", { headers: t.auth() }));
    expect(one).toMatchObject({ kind: "number", clientVisible: true, temporary: false });
    expect(one.states.production).toEqual({ on: true, version: 2 });
  });

  it("checks variation values against the kind", async () => {
    const res = await t.request(
      "/api/v1/flags",
      json(
        "POST",
        { key: "n", name: "n", kind: "number", variations: [{ key: "a", value: "ten" }] },
        t.auth(),
      ),
    );
    expect(res.status).toBe(400);
    expect((await read(res)).errors[0].path).toBe("variations.0.value");
  });

  it("edits a definition with If-Match and bumps every environment's ruleset", async () => {
    const res = await t.request(
      "/api/v1/flags/banner-text",
      json("PATCH", { owner: "web-team", tags: ["marketing", "home"] }, { ...t.auth(), "if-match": '"1"' }),
    );
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.flag).toMatchObject({ owner: "web-team", tags: ["marketing", "home"], version: 2 });
    expect(Object.keys(body.rulesetVersions)).toHaveLength(3);
  });

  it("refuses to drop a variation that an environment still serves", async () => {
    const res = await t.request(
      "/api/v1/flags/banner-text",
      json("PATCH", { version: 2, variations: [{ key: "welcome", value: "Hi" }] }, t.auth()),
    );
    expect(res.status).toBe(400);
    expect((await read(res)).detail).toContain('"sale"');
  });

  it("archives and unarchives", async () => {
    const archived = await read(
      await t.request("/api/v1/flags/banner-text/archive", json("POST", { version: 2 }, t.auth())),
    );
    expect(archived.flag.archived).toBe(true);
    const active = await read(await t.request("/api/v1/flags?archived=false", { headers: t.auth() }));
    expect(active.flags.map((f: { key: string }) => f.key)).not.toContain("banner-text");
    const back = await t.request("/api/v1/flags/banner-text/unarchive", {
      method: "POST",
      headers: { ...t.auth(), "if-match": '"3"' },
    });
    expect(back.status).toBe(200);
    expect((await read(back)).flag.archived).toBe(false);
  });

  it("replaces a state with PUT and rejects prerequisite cycles", async () => {
    const put = await t.request(
      "/api/v1/environments/development/flags/max-items",
      json(
        "PUT",
        {
          on: true,
          offVariation: "small",
          fallthrough: { variation: "large" },
          prerequisites: [{ flagKey: "new-checkout", variation: "on" }],
          version: 2,
        },
        t.auth(),
      ),
    );
    expect(put.status).toBe(200);
    expect((await read(put)).state).toMatchObject({
      targets: [],
      rules: [],
      shadow: null,
      prerequisites: [{ flagKey: "new-checkout" }],
    });
    const state = await read(
      await t.request("/api/v1/environments/development/flags/new-checkout", { headers: t.auth() }),
    );
    const cycle = await t.request(
      "/api/v1/environments/development/flags/new-checkout",
      json(
        "PATCH",
        { version: state.version, prerequisites: [{ flagKey: "max-items", variation: "large" }] },
        t.auth(),
      ),
    );
    expect(cycle.status).toBe(400);
    expect((await read(cycle)).detail).toContain("cycle");
    const rollout = await t.request(
      "/api/v1/environments/development/flags/new-checkout",
      json(
        "PATCH",
        { version: state.version, fallthrough: { rollout: { weights: [{ variation: "on", weight: 10 }] } } },
        t.auth(),
      ),
    );
    expect(rollout.status).toBe(400);
    expect((await read(rollout)).errors[0].path).toBe("fallthrough.rollout.weights");
  });
});
