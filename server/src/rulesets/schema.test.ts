import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../test/harness.js";
import { RulesetSchema } from "./schema.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("the ruleset wire-format schema", () => {
  it("accepts every ruleset the server publishes, server and browser-safe", () => {
    for (const env of ["development", "staging", "production"]) {
      expect(RulesetSchema.safeParse(t.deps.rulesets.server(env)?.ruleset).success).toBe(true);
      expect(RulesetSchema.safeParse(t.deps.rulesets.client(env)?.ruleset).success).toBe(true);
    }
  });

  it("refuses a format version it does not know", () => {
    const ruleset = t.deps.rulesets.server("staging")?.ruleset;
    expect(RulesetSchema.safeParse({ ...ruleset, formatVersion: 2 }).success).toBe(false);
  });

  it("is published as JSON Schema", async () => {
    const res = await t.request("/sdk/v1/ruleset.schema.json");
    expect(res.status).toBe(200);
    const schema = (await res.json()) as { properties: Record<string, unknown>; required: string[] };
    expect(schema.properties.formatVersion).toMatchObject({ const: 1 });
    expect(schema.required).toEqual(expect.arrayContaining(["formatVersion", "flags", "segments"]));
  });
});
