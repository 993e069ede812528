import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

const entriesFor = async (flag: string, action: string) =>
  (await read(await t.request(`/api/v1/audit?flag=${flag}&action=${action}`, { headers: t.auth() })))
    .entries as { action: string; reason: string }[];

describe("audit entries that concern several flags", () => {
  it("an incident kill is found with ?flag= for every flag it killed", async () => {
    for (const key of ["multi-a", "multi-b", "multi-c"]) {
      const res = await t.request(
        "/api/v1/flags",
        json("POST", { key, name: key, kind: "boolean", tags: ["multi"] }, t.auth()),
      );
      expect(res.status).toBe(201);
      const on = await t.request(
        `/api/v1/environments/staging/flags/${key}`,
        json("PATCH", { on: true }, { ...t.auth(), "if-match": "*" }),
      );
      expect(on.status).toBe(200);
    }
    const incident = await t.request(
      "/api/v1/environments/staging/incident",
      json("POST", { tag: "multi", reason: "multi-flag outage" }, t.auth()),
    );
    expect(incident.status).toBe(200);
    for (const key of ["multi-a", "multi-b", "multi-c"]) {
      const found = await entriesFor(key, "incident.");
      expect(
        found.map((e) => e.reason),
        key,
      ).toContain("multi-flag outage");
    }
    expect(await entriesFor("new-checkout", "incident.")).toEqual([]);
  });
});
