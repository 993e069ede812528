import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
});
afterAll(() => t.close());

/** Served but not API operations: the document itself, its page, CORS preflights, middleware. */
const notOperations = (method: string, path: string) =>
  method === "ALL" ||
  method === "OPTIONS" ||
  path.includes("*") ||
  path === "/api/openapi.json" ||
  path === "/api/docs";

describe("the OpenAPI document", () => {
  it("describes every route the app serves, and only those", async () => {
    const doc = await read(await t.request("/api/openapi.json"));
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = new Set(
      t.app.routes
        .filter((r) => !notOperations(r.method, r.path))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    expect([...served].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
  });
});
