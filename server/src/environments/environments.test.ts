import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("environments", () => {
  it("lists the seeded release path in order", async () => {
    const body = await read(await t.request("/api/v1/environments", { headers: t.auth() }));
    expect(body.environments.map((e: { key: string }) => e.key)).toEqual([
      "development",
      "staging",
      "production",
    ]);
  });

  it("creates one after the others, with an off state for every flag", async () => {
    const res = await t.request(
      "/api/v1/environments",
      json("POST", { key: "qa", name: "QA", corsOrigins: ["https://qa.example.com"] }, t.auth()),
    );
    expect(res.status).toBe(201);
    const body = await read(res);
    expect(body.environment).toMatchObject({
      key: "qa",
      sortOrder: 3,
      corsOrigins: ["https://qa.example.com"],
      version: 1,
    });
    expect(body.rulesetVersions).toEqual({ qa: 1 });
    const states = await read(await t.request("/api/v1/environments/qa/flags", { headers: t.auth() }));
    expect(states.states).toHaveLength(5);
    expect(states.states.every((s: { on: boolean }) => !s.on)).toBe(true);
    const again = await t.request("/api/v1/environments", json("POST", { key: "qa", name: "QA" }, t.auth()));
    expect(again.status).toBe(409);
  });

  it("edits CORS origins with a version, refuses a stale one, then deletes", async () => {
    const bad = await t.request(
      "/api/v1/environments/qa",
      json("PATCH", { corsOrigins: ["not a url"], version: 1 }, t.auth()),
    );
    expect(bad.status).toBe(400);
    expect((await read(bad)).errors[0].path).toBe("corsOrigins.0");
    const ok = await t.request(
      "/api/v1/environments/qa",
      json("PATCH", { corsOrigins: ["*"] }, { ...t.auth(), "if-match": '"1"' }),
    );
    expect(ok.status).toBe(200);
    expect((await read(ok)).environment).toMatchObject({ corsOrigins: ["*"], version: 2 });
    const stale = await t.request(
      "/api/v1/environments/qa",
      json("PATCH", { name: "Q", version: 1 }, t.auth()),
    );
    expect(stale.status).toBe(409);
    expect((await read(stale)).current.version).toBe(2);
    expect(
      (
        await t.request("/api/v1/environments/qa", {
          method: "DELETE",
          headers: { ...t.auth(), "if-match": "2" },
        })
      ).status,
    ).toBe(204);
    expect((await t.request("/api/v1/environments/qa", { headers: t.auth() })).status).toBe(404);
  });
});
