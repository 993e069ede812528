import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("flags and their per-environment state", () => {
  it("creates a boolean flag off in every environment with on/off variations", async () => {
    const res = await t.request(
      "/api/v1/flags",
      json("POST", { key: "pay-v2", name: "Pay v2", kind: "boolean", tags: ["ops"] }, t.auth()),
    );
    expect(res.status).toBe(201);
    const body = await read(res);
    expect(body.flag.variations).toEqual([
      { key: "on", value: true },
      { key: "off", value: false },
    ]);
    expect(Object.keys(body.rulesetVersions).sort()).toEqual(["development", "production", "staging"]);
    const state = await (
      await t.request("/api/v1/environments/production/flags/pay-v2", { headers: t.auth() })
    ).json();
    expect(state).toMatchObject({
      on: false,
      offVariation: "off",
      fallthrough: { variation: "on" },
      version: 1,
    });
  });

  it("targets a pilot segment, then refuses a stale edit with 409 and the current state", async () => {
    const path = "/api/v1/environments/staging/flags/pay-v2";
    const change = {
      on: true,
      rules: [
        {
          id: "pilots",
          clauses: [{ attribute: "key", op: "segmentMatch", values: ["pilot-users"] }],
          serve: { variation: "on" },
        },
      ],
    };
    const ok = await t.request(path, json("PATCH", change, { ...t.auth(), "if-match": '"1"' }));
    expect(ok.status).toBe(200);
    const written = await read(ok);
    expect(written.version).toBe(2);
    expect(written.rulesetVersions.staging).toBeGreaterThan(0);
    const stale = await t.request(path, json("PATCH", { on: false, version: 1 }, t.auth()));
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toContain("application/problem+json");
    expect((await read(stale)).current).toMatchObject({ on: true, version: 2 });
    const noVersion = await t.request(path, json("PATCH", { on: false }, t.auth()));
    expect(noVersion.status).toBe(428);
    expect((await read(noVersion)).current.version).toBe(2);
    const overwrite = await t.request(path, json("PATCH", { on: true }, { ...t.auth(), "if-match": "*" }));
    expect(overwrite.status).toBe(200);
    expect((await read(overwrite)).version).toBe(3);
  });

  it("rejects unknown variations and segments, naming the field", async () => {
    const res = await t.request(
      "/api/v1/environments/staging/flags/pay-v2",
      json(
        "PATCH",
        {
          version: 3,
          fallthrough: { variation: "maybe" },
          rules: [
            {
              id: "r",
              clauses: [{ attribute: "k", op: "segmentMatch", values: ["nope"] }],
              serve: { variation: "on" },
            },
          ],
        },
        t.auth(),
      ),
    );
    expect(res.status).toBe(400);
    const problem = await read(res);
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      "fallthrough.variation",
      "rules.0.clauses.0.values.0",
    ]);
  });

  it("kills with a reason, without a version, and audits it", async () => {
    const res = await t.request(
      "/api/v1/environments/staging/flags/pay-v2/kill",
      json("POST", { reason: "errors spiking" }, t.auth()),
    );
    expect(res.status).toBe(200);
    expect((await read(res)).state.on).toBe(false);
    const audit = await read(
      await t.request("/api/v1/audit?flag=pay-v2&action=flag.kill", { headers: t.auth() }),
    );
    expect(audit.entries[0]).toMatchObject({
      action: "flag.kill",
      reason: "errors spiking",
      before: { on: true },
      after: { on: false },
    });
    const noReason = await t.request(
      "/api/v1/environments/staging/flags/pay-v2/kill",
      json("POST", {}, t.auth()),
    );
    expect(noReason.status).toBe(400);
  });

  it("incident mode kills every tagged flag in one entry", async () => {
    const res = await t.request(
      "/api/v1/environments/production/incident",
      json("POST", { tag: "checkout", reason: "outage" }, t.auth()),
    );
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.killed.map((s: { flag: string }) => s.flag)).toEqual(["new-checkout"]);
    const audit = await read(await t.request("/api/v1/audit?action=incident.declare", { headers: t.auth() }));
    expect(audit.entries).toHaveLength(1);
  });

  it("answers problem+json for malformed JSON, wrong content type and unknown routes", async () => {
    const bad = await t.request("/api/v1/flags", {
      method: "POST",
      headers: { ...t.auth(), "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
    const text = await t.request("/api/v1/flags", {
      method: "POST",
      headers: { ...t.auth(), "content-type": "text/plain" },
      body: "x",
    });
    expect(text.status).toBe(415);
    const missing = await t.request("/api/v1/nope", { headers: t.auth() });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("problem+json");
  });
});
