import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret } from "./keys/secret.js";
import { type RunningServer, startServer } from "./server.js";

let server: RunningServer;
const adminToken = generateSecret("admin");
beforeAll(async () => {
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir: "memory://",
    seedDemo: true,
    adminToken,
    logLevel: "silent",
  });
});
afterAll(() => server.close());

describe("startServer", () => {
  it("listens on a random port with health checks, the OpenAPI document and its reference page", async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    const spec = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/flags",
        "/api/v1/environments/{env}/flags/{flag}/kill",
        "/api/v1/environments/{env}/incident",
        "/api/v1/environments/{env}/segments/{segment}/included",
        "/api/v1/audit",
      ]),
    );
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(await docs.text()).toContain("/api/openapi.json");
  });

  it("seeds the demo once, with SDK keys, and prints a one-time setup link", async () => {
    expect(Object.keys(server.seeded?.keys ?? {})).toEqual(["development", "staging", "production"]);
    expect(server.setupUrl).toMatch(new RegExp(`^http://localhost:${server.port}/setup\\?token=`));
    const flags = await fetch(`${server.url}/api/v1/flags`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(flags.status).toBe(200);
    expect(((await flags.json()) as { flags: unknown[] }).flags).toHaveLength(5);
  });
});
