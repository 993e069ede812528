import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../test/harness.js";
import { createApp } from "./app.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
});
afterAll(() => t.close());

describe("the app shell", () => {
  it("answers /healthz and /readyz", async () => {
    expect((await t.request("/healthz")).status).toBe(200);
    const ready = await t.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: true, rulesets: true });
  });

  it("refuses bodies over 32 MB with 413", async () => {
    const res = await t.request("/api/v1/flags", {
      method: "POST",
      headers: { ...t.auth(), "content-type": "application/json" },
      body: `"${"x".repeat(33 * 1024 * 1024)}"`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("serves the admin UI's files with a fallback to index.html, but never for /api", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sy-ui-"));
    writeFileSync(join(dir, "index.html"), "<html>admin ui</html>");
    writeFileSync(join(dir, "app.js"), "console.log(1)");
    const app = createApp({ ...t.deps, config: { ...t.deps.config, adminUiDir: dir } });
    expect(await (await app.request("/")).text()).toContain("admin ui");
    expect(await (await app.request("/flags/new-checkout")).text()).toContain("admin ui");
    expect(await (await app.request("/app.js")).text()).toContain("console.log");
    expect((await app.request("/missing.js")).status).toBe(404);
    const api = await app.request("/api/v1/nothing-here");
    expect(api.status).toBe(401);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
  });
});
