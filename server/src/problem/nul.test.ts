import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("text Postgres cannot store", () => {
  it("refuses NUL characters with 400 naming the field, not a 500", async () => {
    const res = await t.request(
      "/api/v1/flags",
      json("POST", { key: "nul", name: "a\u0000b", kind: "boolean" }, t.auth()),
    );
    expect(res.status).toBe(400);
    const problem = await read(res);
    expect(problem.errors[0].path).toBe("name");
    const variation = await t.request(
      "/api/v1/flags",
      json(
        "POST",
        { key: "nul2", name: "n", kind: "json", variations: [{ key: "a", value: { "x\u0000": 1 } }] },
        t.auth(),
      ),
    );
    expect(variation.status).toBe(400);
  });

  it("refuses lone surrogates with 400", async () => {
    const res = await t.request(
      "/api/v1/flags",
      json(
        "POST",
        {
          key: "sur",
          name: "x\ud800y",
          kind: "json",
          variations: [{ key: "a", value: { "k\udc00": "v\ud800" } }],
        },
        t.auth(),
      ),
    );
    expect(res.status).toBe(400);
  });
});
