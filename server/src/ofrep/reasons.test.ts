/** OFREP answers checked against shared/openfeature (OFREP.md, PROVIDERS.md): reasons, error codes, ETag. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
let server: string;
const half = {
  rollout: {
    weights: [
      { variation: "on", weight: 50_000 },
      { variation: "off", weight: 50_000 },
    ],
  },
};

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  server = await t.createKey("server", "staging");
  const state: Record<string, object | null> = {
    "spec-off": null,
    // Rules or targets exist but none matched: the fallthrough is DEFAULT (no rules at all is STATIC).
    "spec-default": {
      on: true,
      fallthrough: { variation: "on" },
      targets: [{ variation: "off", values: ["other"] }],
    },
    "spec-static": { on: true, fallthrough: { variation: "on" } },
    "spec-target": {
      on: true,
      fallthrough: { variation: "off" },
      targets: [{ variation: "on", values: ["u1"] }],
    },
    "spec-split": { on: true, fallthrough: half },
  };
  for (const [key, patch] of Object.entries(state)) {
    const made = await t.request(
      "/api/v1/flags",
      json("POST", { key, name: key, kind: "boolean" }, t.auth()),
    );
    expect(made.status).toBe(201);
    if (!patch) continue;
    const res = await t.request(
      `/api/v1/environments/staging/flags/${key}`,
      json("PATCH", patch, { ...t.auth(), "if-match": "*" }),
    );
    expect(`${key} ${res.status}`, JSON.stringify(await res.clone().json())).toBe(`${key} 200`);
    await t.deps.rulesets.waitForVersion("staging", (await read(res)).rulesetVersions.staging);
  }
});
afterAll(() => t.close());

const evaluate = (flag: string, context: object) =>
  t.request(`/ofrep/v1/evaluate/flags/${flag}`, json("POST", { context }, { authorization: server }));

describe("OFREP reasons and error codes per the spec", () => {
  it.each([
    ["spec-off", { targetingKey: "u1" }, "DISABLED", false],
    ["spec-default", { targetingKey: "u1" }, "DEFAULT", true],
    ["spec-static", { targetingKey: "u1" }, "STATIC", true],
    ["spec-target", { targetingKey: "u1" }, "TARGETING_MATCH", true],
    ["spec-split", { targetingKey: "u1" }, "SPLIT", undefined],
  ] as const)("%s → reason %s", async (flag, context, reason, value) => {
    const res = await evaluate(flag, context);
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body).toMatchObject({ key: flag, reason });
    expect(typeof body.value).toBe("boolean");
    if (value !== undefined) expect(body.value).toBe(value);
    for (const v of Object.values(body.metadata ?? {}))
      expect(["string", "number", "boolean"]).toContain(typeof v);
  });

  it("a split without targetingKey is 400 TARGETING_KEY_MISSING with { key, errorCode }", async () => {
    const res = await evaluate("spec-split", {});
    expect(res.status).toBe(400);
    expect(await read(res)).toMatchObject({ key: "spec-split", errorCode: "TARGETING_KEY_MISSING" });
  });

  it("unknown flag 404 FLAG_NOT_FOUND; bad JSON 400 PARSE_ERROR; bad context 400 INVALID_CONTEXT", async () => {
    expect([(await evaluate("no-such", {})).status]).toEqual([404]);
    const parse = await t.request("/ofrep/v1/evaluate/flags/spec-off", {
      method: "POST",
      headers: { authorization: server, "content-type": "application/json" },
      body: "{",
    });
    expect(parse.status).toBe(400);
    expect((await read(parse)).errorCode).toBe("PARSE_ERROR");
    const bad = await evaluate("spec-off", { targetingKey: 7 });
    expect(bad.status).toBe(400);
    expect((await read(bad)).errorCode).toBe("INVALID_CONTEXT");
  });

  it("every error code in a bulk answer is one the spec defines, and the bulk has an ETag", async () => {
    const res = await t.request(
      "/ofrep/v1/evaluate/flags",
      json("POST", { context: {} }, { authorization: server }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^"/);
    const { flags } = await read(res);
    const codes = ["PARSE_ERROR", "TARGETING_KEY_MISSING", "INVALID_CONTEXT", "GENERAL", "FLAG_NOT_FOUND"];
    const reasons = ["STATIC", "DEFAULT", "TARGETING_MATCH", "SPLIT", "DISABLED", "UNKNOWN"];
    for (const f of flags) {
      if ("errorCode" in f) expect(codes).toContain(f.errorCode);
      else expect(reasons).toContain(f.reason);
    }
    expect(flags.find((f: { key: string }) => f.key === "spec-split").errorCode).toBe(
      "TARGETING_KEY_MISSING",
    );
  });
});
