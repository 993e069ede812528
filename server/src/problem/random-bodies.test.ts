import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

const WRITES: [method: string, path: string][] = [
  ["POST", "/api/v1/flags"],
  ["PATCH", "/api/v1/flags/banner-text"],
  ["POST", "/api/v1/flags/banner-text/archive"],
  ["PUT", "/api/v1/environments/staging/flags/new-checkout"],
  ["PATCH", "/api/v1/environments/staging/flags/new-checkout"],
  ["POST", "/api/v1/environments/staging/flags/new-checkout/kill"],
  ["POST", "/api/v1/environments/staging/incident"],
  ["POST", "/api/v1/environments/staging/segments"],
  ["PUT", "/api/v1/environments/staging/segments/pilot-users"],
  ["PATCH", "/api/v1/environments/staging/segments/pilot-users"],
  ["PUT", "/api/v1/environments/staging/segments/pilot-users/included"],
  ["POST", "/api/v1/environments"],
  ["PATCH", "/api/v1/environments/development"],
  ["POST", "/api/v1/keys"],
  ["POST", "/api/v1/users"],
  ["PATCH", "/api/v1/users/1"],
  ["POST", "/api/v1/auth/login"],
  ["POST", "/api/v1/auth/setup"],
];

/** Bodies shaped like the real ones (known field names, wild values) plus arbitrary JSON. */
const fieldNames = [
  "key",
  "name",
  "kind",
  "variations",
  "tags",
  "on",
  "offVariation",
  "rules",
  "fallthrough",
  "targets",
  "prerequisites",
  "shadow",
  "version",
  "reason",
  "tag",
  "included",
  "excluded",
  "role",
  "environment",
  "email",
  "password",
  "token",
  "corsOrigins",
  "sortOrder",
  "color",
  "keys",
  "disabled",
  "clientVisible",
];
const wildValue = fc.oneof(
  fc.jsonValue({ stringUnit: "binary" }),
  fc.constantFrom(
    "on",
    "off",
    "boolean",
    "string",
    "json",
    "number",
    "admin",
    "staging",
    "pilot-users",
    1,
    2,
    -1,
    1e308,
  ),
  fc.array(
    fc.record({ id: fc.string(), variation: fc.string(), clauses: fc.jsonValue(), serve: fc.jsonValue() }),
    { maxLength: 3 },
  ),
  fc.record({
    rollout: fc.record({ weights: fc.array(fc.record({ variation: fc.string(), weight: fc.integer() })) }),
  }),
);
const shapedBody = fc.dictionary(fc.constantFrom(...fieldNames), wildValue, { maxKeys: 6 });
const body = fc.oneof(
  shapedBody.map((b) => JSON.stringify(b)),
  fc.jsonValue({ stringUnit: "binary" }).map((v) => JSON.stringify(v)),
  fc.string(),
);

describe("random bodies at every write endpoint", () => {
  it("never answer 500, and every error is problem+json", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...WRITES),
        body,
        fc.constantFrom("application/json", "text/plain"),
        async ([method, path], raw, type) => {
          const res = await t.request(path, {
            method,
            headers: { ...t.auth(), "content-type": type },
            body: raw,
          });
          expect(res.status, `${method} ${path} ${raw}`).toBeLessThan(500);
          if (res.status >= 400)
            expect(res.headers.get("content-type")).toContain("application/problem+json");
          await res.arrayBuffer();
        },
      ),
      { numRuns: 400 },
    );
  });
});
