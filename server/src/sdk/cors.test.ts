import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, type TestServer } from "../../test/harness.js";

let t: TestServer;
let stagingClient: string;
const origin = "http://localhost:5173";

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  stagingClient = await t.createKey("client", "staging");
});
afterAll(() => t.close());

const clientEndpoints: [string, string][] = [
  ["GET", "/sdk/v1/client/ruleset"],
  ["GET", "/sdk/v1/stream"],
  ["POST", "/sdk/v1/client/evaluate"],
  ["POST", "/sdk/v1/metrics"],
  ["POST", "/sdk/v1/ack"],
  ["POST", "/ofrep/v1/evaluate/flags"],
  ["POST", "/ofrep/v1/evaluate/flags/new-checkout"],
];

const call = (method: string, path: string, secret: string) =>
  t.request(path, {
    ...(method === "POST" ? json(method, { context: { targetingKey: "u1" } }) : { method }),
    headers: { origin, authorization: secret, "content-type": "application/json" },
  });

describe("CORS on refusals of client endpoints", () => {
  it.each(clientEndpoints)("%s %s: a 401 is readable by the browser", async (method, path) => {
    const res = await call(method, path, "sy_client_not-a-real-key");
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("a 429 of an allowed origin carries CORS headers and exposes Retry-After", async () => {
    let res: Response | undefined;
    for (let i = 0; i < 500; i++) {
      res = await call("GET", "/sdk/v1/client/ruleset", stagingClient);
      if (res.status === 429) break;
    }
    expect(res?.status).toBe(429);
    expect(res?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(res?.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res?.headers.get("access-control-expose-headers")).toContain("Retry-After");
  });

  it("a 429 for an origin the environment does not allow stays unreadable", async () => {
    // The bucket refills while the previous test finishes, so empty it again rather than rely on timing.
    let res: Response | undefined;
    for (let i = 0; i < 500; i++) {
      res = await t.request("/sdk/v1/client/ruleset", {
        headers: { origin: "https://evil.example", authorization: stagingClient },
      });
      if (res.status === 429) break;
    }
    expect(res?.status).toBe(429);
    expect(res?.headers.get("access-control-allow-origin")).toBeNull();
  });
});
