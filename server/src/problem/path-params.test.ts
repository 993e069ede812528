import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

const long = "a".repeat(300);
const huge = "99999999999999999999";

/** [method, path, the parameter the problem must name] */
const cases: [string, string, string][] = [
  ["GET", `/api/v1/flags/${long}`, "flag"],
  ["GET", "/api/v1/flags/%00bad", "flag"],
  ["PATCH", `/api/v1/flags/${long}`, "flag"],
  ["GET", `/api/v1/environments/${long}`, "env"],
  ["GET", `/api/v1/environments/${long}/flags`, "env"],
  ["GET", `/api/v1/environments/staging/flags/${long}`, "flag"],
  ["POST", `/api/v1/environments/staging/flags/${long}/kill`, "flag"],
  ["GET", `/api/v1/environments/staging/segments/${long}`, "segment"],
  ["PUT", `/api/v1/environments/staging/segments/${long}/included`, "segment"],
  ["GET", `/api/v1/environments/${long}/delivery`, "env"],
  ["GET", `/api/v1/environments/${long}/changelog`, "env"],
  ["GET", `/api/v1/flags/${long}/usage`, "flag"],
  ["GET", `/api/v1/users/${huge}`, "id"],
  ["GET", "/api/v1/users/1.5", "id"],
  ["DELETE", `/api/v1/keys/${huge}`, "id"],
  ["GET", `/api/v1/promotions/${huge}`, "id"],
  ["GET", `/api/v1/change-requests/${huge}`, "id"],
  ["DELETE", `/api/v1/environments/staging/flags/new-checkout/schedules/${huge}`, "id"],
  ["DELETE", `/api/v1/webhooks/${huge}`, "id"],
  ["GET", "/api/v1/audit?flag=%00", "flag"],
  ["GET", `/api/v1/flags/new-checkout/usage?environment=${long}`, "environment"],
  ["GET", `/api/v1/audit?cursor=${long}`, "cursor"],
  ["GET", "/api/v1/audit?cursor=%%%", "cursor"],
  ["GET", `/api/v1/overview/kills?before=${huge}`, "before"],
];

describe("path ids, keys and cursors", () => {
  it.each(cases)("%s %s → 400 naming %s", async (method, path, param) => {
    const body = method === "GET" || method === "DELETE" ? undefined : JSON.stringify({});
    const res = await t.request(path, {
      method,
      headers: { ...t.auth(), "content-type": "application/json", "if-match": "*" },
      body,
    });
    expect(`${res.status} ${path.length > 120 ? path.slice(0, 60) : path}`).toBe(
      `400 ${path.length > 120 ? path.slice(0, 60) : path}`,
    );
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = await read(res);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(param);
  });

  it("accepts a well-formed key that does not exist with a 404", async () => {
    const res = await t.request("/api/v1/flags/no-such-flag", { headers: t.auth() });
    expect(res.status).toBe(404);
    void json;
  });
});
