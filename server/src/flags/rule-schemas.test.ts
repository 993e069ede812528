import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { ClauseSchema, ShadowSchema } from "./rule-schemas.js";

const clause = (...values: (string | number)[]) => ({ attribute: "email", op: "matches", values });
const issuesOf = (input: unknown) => {
  const parsed = ClauseSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("regex clauses are checked on write the way the evaluator compiles them", () => {
  it("accepts the patterns the evaluator runs", () => {
    expect(issuesOf(clause("@example\\.com$", "^a.*b$", "\\p{Lu}"))).toEqual([]);
  });

  it("refuses patterns that could backtrack catastrophically, naming the value", () => {
    expect(issuesOf(clause("ok", "(a+)+$"))).toEqual([
      expect.stringMatching(/^values\.1: .*backtrack catastrophically/),
    ]);
    expect(issuesOf(clause("(\\w|\\d)*x"))).toHaveLength(1);
    expect(issuesOf(clause("(a)\\1"))).toHaveLength(1);
  });

  it("refuses what only compiles without the evaluator's `u` flag", () => {
    // Valid for `new RegExp(p)`, a syntax error for `new RegExp(p, "u")`.
    const laxOnly = "\\-";
    expect(() => new RegExp(laxOnly)).not.toThrow();
    expect(issuesOf(clause(laxOnly))).toEqual([expect.stringMatching(/^values\.0: /)]);
    expect(issuesOf(clause("a{"))).toHaveLength(1);
  });

  it("refuses patterns over the evaluator's length limit, and values that are not strings", () => {
    expect(issuesOf(clause("a".repeat(257)))).toHaveLength(1);
    expect(issuesOf(clause(42))).toEqual(["values.0: a pattern is a string"]);
  });
});

describe("the shadow rule carries what the SDK needs", () => {
  it("requires the candidate's timeout (the SDK bounds the candidate by it)", () => {
    const rule = { sampleRate: 5_000, stickiness: "user", timeoutMs: 500 };
    expect(ShadowSchema.safeParse(rule).success).toBe(true);
    const { timeoutMs: _, ...noTimeout } = rule;
    const parsed = ShadowSchema.safeParse(noTimeout);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["timeoutMs"]);
  });
});

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("over HTTP", () => {
  it("a state edit with an unsafe pattern is a 400 naming the value, not a flag that fails later", async () => {
    const res = await t.request(
      "/api/v1/environments/staging/flags/new-checkout",
      json(
        "PATCH",
        {
          rules: [{ id: "r", clauses: [clause("(a|aa)+$")], serve: { variation: "on" } }],
        },
        { ...t.auth(), "if-match": "*" },
      ),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await read(res)).errors.map((e: { path: string }) => e.path)).toEqual([
      "rules.0.clauses.0.values.0",
    ]);
  });
});
