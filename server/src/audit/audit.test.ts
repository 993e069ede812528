import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("the audit log", () => {
  it("records every change with actor, action, before and after", async () => {
    const editor = await t.createKey("admin", "editor");
    await t.request(
      "/api/v1/flags",
      json("POST", { key: "audited", name: "A", kind: "boolean" }, t.auth(editor)),
    );
    const page = await read(await t.request("/api/v1/audit?flag=audited", { headers: t.auth() }));
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({
      action: "flag.create",
      actor: { type: "api_key", name: "test admin" },
      target: { type: "flag", key: "audited" },
      before: null,
      after: { key: "audited", kind: "boolean" },
    });
  });

  it("filters by environment, actor, action prefix and time, and pages with a cursor", async () => {
    const staging = await read(
      await t.request("/api/v1/audit?environment=staging&limit=500", { headers: t.auth() }),
    );
    expect(staging.entries.length).toBeGreaterThan(0);
    expect(staging.entries.every((e: { environment: string }) => e.environment === "staging")).toBe(true);
    const bySeed = await read(
      await t.request(`/api/v1/audit?actor=${encodeURIComponent("demo seed")}&action=flag.&limit=500`, {
        headers: t.auth(),
      }),
    );
    expect(bySeed.entries.every((e: { action: string }) => e.action.startsWith("flag."))).toBe(true);
    const future = await read(
      await t.request("/api/v1/audit?from=2999-01-01T00:00:00Z", { headers: t.auth() }),
    );
    expect(future.entries).toEqual([]);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await read(
        await t.request(`/api/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ""}`, { headers: t.auth() }),
      );
      seen.push(...page.entries.map((e: { id: number }) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    const all = await read(await t.request("/api/v1/audit?limit=500", { headers: t.auth() }));
    expect(seen).toHaveLength(all.entries.length);
    expect((await t.request("/api/v1/audit?cursor=garbage", { headers: t.auth() })).status).toBe(400);
  });
});
