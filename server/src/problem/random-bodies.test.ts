import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

/** Every write operation of the OpenAPI document (admin API, SDK and OFREP), read in beforeAll. */
let writes: [method: string, template: string][] = [];
let serverKey = "";
beforeAll(async () => {
  const doc = (await (await t.request("/api/openapi.json")).json()) as { paths: Record<string, object> };
  writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => m !== "get")
      .map((m) => [m.toUpperCase(), path] as [string, string]),
  );
  serverKey = await t.createKey("server", "staging");
});

/** Path parameters: real ones, near misses and junk (encoded, so they stay one path segment). */
const paramValue = fc.oneof(
  fc.constantFrom("staging", "production", "new-checkout", "banner-text", "pilot-users", "1", "2"),
  fc.constantFrom("0", "-1", "99999999999", "1.5", "NaN", "a".repeat(300), "%00", ".."),
  fc.string({ unit: "binary", maxLength: 40 }).map(encodeURIComponent),
);
const params = fc.dictionary(fc.constantFrom("env", "flag", "segment", "id", "key"), paramValue);
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] || "x");

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
  it("never answer 500 whatever the body and path parameters, and every error is a problem", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        params,
        body,
        fc.constantFrom("application/json", "text/plain"),
        async (pick, values, raw, type) => {
          const [method, template] = writes[pick % writes.length] as [string, string];
          const path = fill(template, values);
          const sdk = /^\/(sdk|ofrep)\//.test(path);
          const res = await t.request(path, {
            method,
            headers: { ...(sdk ? { authorization: serverKey } : t.auth()), "content-type": type },
            body: method === "DELETE" ? undefined : raw,
          });
          expect(res.status, `${method} ${path} ${raw}`).toBeLessThan(500);
          // OFREP answers evaluation errors in its own JSON ({ key?, errorCode }); auth, limits and the rest are problems.
          if (res.status >= 400)
            expect(res.headers.get("content-type")).toMatch(
              path.startsWith("/ofrep/") ? /application\/(problem\+)?json/ : /application\/problem\+json/,
            );
          await res.arrayBuffer();
        },
      ),
      { numRuns: 600 },
    );
  });
});
