import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe(`concurrent editors (${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"})`, () => {
  it("lets exactly one of several edits based on the same version win; the others get 409", async () => {
    const path = "/api/v1/environments/staging/flags/max-items";
    const { version } = await read(await t.request(path, { headers: t.auth() }));
    const variations = ["small", "medium", "large", "small", "large"];
    const results = await Promise.all(
      variations.map((v) =>
        t.request(
          path,
          json("PATCH", { fallthrough: { variation: v } }, { ...t.auth(), "if-match": `"${version}"` }),
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    expect((await read(await t.request(path, { headers: t.auth() }))).version).toBe(version + 1);
  });

  it("gives simultaneous kills distinct, increasing ruleset versions", async () => {
    const flags = ["banner-text", "max-items", "theme-config", "search-ranking"];
    const results = await Promise.all(
      flags.map((f) =>
        t.request(
          `/api/v1/environments/development/flags/${f}/kill`,
          json("POST", { reason: "drill" }, t.auth()),
        ),
      ),
    );
    const versions = await Promise.all(
      results.map(async (r) => (await read(r)).rulesetVersions.development as number),
    );
    expect(new Set(versions).size).toBe(flags.length);
    const changes = await t.deps.db
      .selectFrom("ruleset_changes")
      .select("version")
      .where("environment_key", "=", "development")
      .orderBy("version")
      .execute();
    const all = changes.map((c) => c.version);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });
});

describe("racing creates", () => {
  it("answer one 201 and 409s, never a 500", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.request("/api/v1/flags", json("POST", { key: "race", name: "Race", kind: "boolean" }, t.auth())),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });
});
