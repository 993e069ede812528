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
    for (const env of ["production", "development"]) {
      const log = await read(await t.request(`/api/v1/environments/${env}/changelog`, { headers: t.auth() }));
      expect(log.entries.map((e: { action: string }) => e.action)).toContain("promotion.apply");
    }
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
