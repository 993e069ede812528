import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { toCsv } from "./routes.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  await t.request(
    "/api/v1/environments/production/flags/new-checkout/kill",
    json("POST", { reason: 'errors, "bad" ones' }, t.auth()),
  );
  await t.request(
    "/api/v1/environments/production/flags/banner-text/kill",
    json("POST", { reason: "copy" }, t.auth()),
  );
});
afterAll(() => t.close());

const get = (query: string, headers = t.auth()) =>
  t.request(`/api/v1/environments/production/changelog${query}`, { headers });

describe("changelog", () => {
  it("reads as sentences, newest first, filtered by flag or tag", async () => {
    const all = await read(await get(""));
    expect(all.entries[0]).toMatchObject({ action: "flag.kill", flag: "banner-text", reason: "copy" });
    expect(all.entries[0].summary).toMatch(/killed banner-text in production/);
    const one = await read(await get("?flag=new-checkout"));
    expect(one.entries.every((e: { flag: string }) => e.flag === "new-checkout")).toBe(true);
    const tagged = await read(await get("?tag=checkout"));
    expect(tagged.entries.length).toBeGreaterThan(0);
    expect(tagged.entries.every((e: { flag: string }) => e.flag === "new-checkout")).toBe(true);
  });

  it("includes a promotion to several environments in each one's changelog", async () => {
    const selection = { from: "staging", to: ["production", "development"], tag: "checkout" };
    const preview = await read(
      await t.request("/api/v1/promotions/preview", json("POST", selection, t.auth())),
    );
    const applied = await t.request(
      "/api/v1/promotions",
      json("POST", { ...selection, expectedPreview: preview.hash }, t.auth()),
    );
    expect(applied.status).toBe(201);
    const { id } = await read(applied);
    for (const env of ["production", "development"]) {
      for (const filter of ["", "?flag=new-checkout", "?tag=checkout"]) {
        const log = await read(
          await t.request(`/api/v1/environments/${env}/changelog${filter}`, { headers: t.auth() }),
        );
        const entry = log.entries.find((e: { action: string }) => e.action === "promotion.apply");
        expect(entry, `${env}${filter}`).toMatchObject({ flag: null, flags: ["new-checkout"] });
        expect(entry.summary).toMatch(
          new RegExp(
            `promoted new-checkout from staging to production and development \\(promotion #${id}\\)`,
          ),
        );
      }
    }
    const other = await read(await get("?flag=banner-text"));
    expect(other.entries.map((e: { action: string }) => e.action)).not.toContain("promotion.apply");
  });

  it("finds a promotion waiting for approval into several environments by any of its flags", async () => {
    const selection = {
      from: "staging",
      to: ["production", "development"],
      flags: ["max-items", "banner-text"],
    };
    const preview = await read(
      await t.request("/api/v1/promotions/preview", json("POST", selection, t.auth())),
    );
    const requested = await t.request(
      "/api/v1/promotions",
      json("POST", { ...selection, expectedPreview: preview.hash, gate: { type: "approval" } }, t.auth()),
    );
    expect(requested.status).toBe(201);
    const { id } = await read(requested);
    for (const env of ["production", "development"]) {
      const log = await read(
        await t.request(`/api/v1/environments/${env}/changelog?flag=max-items`, { headers: t.auth() }),
      );
      expect(log.entries[0]).toMatchObject({
        action: "promotion.request",
        flags: ["max-items", "banner-text"],
      });
      expect(log.entries[0].summary).toBe(
        `automation (adminToken) asked to promote max-items and banner-text from staging to production and development (promotion #${id}), waiting for an approval`,
      );
    }
    await t.request(`/api/v1/promotions/${id}/reject`, json("POST", { comment: "not now" }, t.auth()));
  });

  it("is in the OpenAPI document, with its filters", async () => {
    const doc = await read(await t.request("/api/openapi.json"));
    const route = doc.paths["/api/v1/environments/{env}/changelog"]?.get;
    expect(route).toBeDefined();
    expect(route.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["env", "flag", "tag", "actor", "from", "to", "format"]),
    );
    expect(Object.keys(route.responses[200].content)).toEqual(["application/json", "text/csv"]);
  });

  it("exports CSV with proper quoting as an attachment", async () => {
    const res = await get("?format=csv&flag=new-checkout");
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("at,actor,actor_type,action,flag,reason,summary");
    expect(text).toContain('"errors, ""bad"" ones"');
  });

  it("neutralises spreadsheet formulas and refuses bad filters with problem details", async () => {
    expect(
      toCsv([
        { at: "t", actor: "=cmd()", actorType: "user", action: "a", flag: null, reason: null, summary: "s" },
      ]),
    ).toContain(`"'=cmd()"`);
    const bad = await get("?format=xml");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await read(bad))).toContain("format");
    const badDate = await get("?from=yesterday");
    expect(badDate.status).toBe(400);
    expect((await t.request("/api/v1/environments/nope/changelog", { headers: t.auth() })).status).toBe(404);
  });
});
