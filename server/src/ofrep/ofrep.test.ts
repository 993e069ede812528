import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { read } from "../../test/harness.js";
import { type RunningServer, startServer } from "../server.js";

const ADMIN = `sy_admin_${"o".repeat(43)}`;
let server: RunningServer;
let serverKey: string;
let clientKey: string;

const post = (path: string, body: unknown, key: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function createKey(kind: "server" | "client"): Promise<string> {
  const res = await post("/api/v1/keys", { name: `ofrep ${kind}`, kind, environment: "staging" }, ADMIN);
  const body = await read(res);
  return body.secret ?? body.key;
}

beforeAll(async () => {
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    seedDemo: true,
    adminToken: ADMIN,
    logLevel: "silent",
    bootstrapAdmin: false,
  });
  serverKey = await createKey("server");
  clientKey = await createKey("client");
});
afterAll(async () => {
  await OpenFeature.close();
  await server.close();
});

describe("OFREP single-flag evaluation", () => {
  it("answers a known flag with value, reason, variant and metadata", async () => {
    const res = await post(
      "/ofrep/v1/evaluate/flags/banner-text",
      { context: { targetingKey: "u-1" } },
      serverKey,
    );
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body).toMatchObject({ key: "banner-text", reason: expect.any(String) });
    expect(body).toHaveProperty("value");
    expect(body.metadata.version).toBeTypeOf("number");
  });

  it("404 FLAG_NOT_FOUND, 400 PARSE_ERROR and INVALID_CONTEXT with the OFREP error body", async () => {
    const missing = await post("/ofrep/v1/evaluate/flags/nope", { context: {} }, serverKey);
    expect(missing.status).toBe(404);
    expect(await read(missing)).toMatchObject({ key: "nope", errorCode: "FLAG_NOT_FOUND" });
    const garbage = await post("/ofrep/v1/evaluate/flags/banner-text", "{not json", serverKey);
    expect(garbage.status).toBe(400);
    expect(await read(garbage)).toMatchObject({ key: "banner-text", errorCode: "PARSE_ERROR" });
    const badContext = await post("/ofrep/v1/evaluate/flags/banner-text", { context: [1] }, serverKey);
    expect(await read(badContext)).toMatchObject({ errorCode: "INVALID_CONTEXT" });
    const badKey = await post(
      "/ofrep/v1/evaluate/flags/banner-text",
      { context: { targetingKey: 7 } },
      serverKey,
    );
    expect(await read(badKey)).toMatchObject({ errorCode: "INVALID_CONTEXT" });
  });

  it("accepts X-API-Key and refuses unknown keys with 401", async () => {
    const res = await fetch(`${server.url}/ofrep/v1/evaluate/flags/banner-text`, {
      method: "POST",
      headers: { "x-api-key": serverKey, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect((await post("/ofrep/v1/evaluate/flags/banner-text", {}, "sy_server_unknown")).status).toBe(401);
  });

  it("hides server-only flags from client keys", async () => {
    const all = (
      await read(await fetch(`${server.url}/sdk/v1/ruleset`, { headers: { authorization: serverKey } }))
    ).flags;
    const hidden = all.find((f: { clientVisible?: boolean }) => !f.clientVisible);
    expect(hidden).toBeDefined();
    const res = await post(
      `/ofrep/v1/evaluate/flags/${hidden.key}`,
      { context: { targetingKey: "u" } },
      clientKey,
    );
    expect(res.status).toBe(404);
  });
});

describe("OFREP bulk evaluation", () => {
  it("evaluates every visible flag with an ETag, and 304 for the same context and version", async () => {
    const res = await post("/ofrep/v1/evaluate/flags", { context: { targetingKey: "u-1" } }, clientKey);
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.flags.length).toBeGreaterThan(0);
    expect(body.eventStreams[0]).toMatchObject({ type: "sse" });
    const etag = res.headers.get("etag") as string;
    const same = await post("/ofrep/v1/evaluate/flags", { context: { targetingKey: "u-1" } }, clientKey, {
      "if-none-match": etag,
    });
    expect(same.status).toBe(304);
    const other = await post("/ofrep/v1/evaluate/flags", { context: { targetingKey: "u-2" } }, clientKey, {
      "if-none-match": etag,
    });
    expect(other.status).toBe(200);
  });

  it("answers a whole-request failure with 400 { errorCode } and no key", async () => {
    const res = await post("/ofrep/v1/evaluate/flags", "[]", clientKey);
    expect(res.status).toBe(400);
    const body = await read(res);
    expect(body.errorCode).toBe("PARSE_ERROR");
    expect(body.key).toBeUndefined();
  });

  it("tells the browser to refetch over SSE when the environment changes", async () => {
    const res = await fetch(`${server.url}/ofrep/v1/stream?key=${clientKey}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // ": connected"
    const kill = await post(
      "/api/v1/environments/staging/flags/banner-text/kill",
      { reason: "ofrep test" },
      ADMIN,
    );
    expect(kill.status).toBe(200);
    let text = "";
    while (!text.includes("refetchEvaluation")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"type":"refetchEvaluation"');
    await reader.cancel();
  });
});

describe("the official OpenFeature OFREP provider", () => {
  it("resolves Switchyard flags through @openfeature/ofrep-provider", async () => {
    await OpenFeature.setProviderAndWait(
      new OFREPProvider({ baseUrl: server.url, headers: { Authorization: `Bearer ${serverKey}` } }),
    );
    const client = OpenFeature.getClient();
    const detail = await client.getStringDetails("banner-text", "fallback", { targetingKey: "u-9" });
    expect(detail.errorCode).toBeUndefined();
    expect(detail.reason).toBe("DISABLED");
    const missing = await client.getBooleanDetails("no-such-flag", true, { targetingKey: "u-9" });
    expect(missing).toMatchObject({ value: true, errorCode: "FLAG_NOT_FOUND" });
    const mismatch = await client.getNumberDetails("banner-text", 1, { targetingKey: "u-9" });
    expect(mismatch).toMatchObject({ value: 1, errorCode: "TYPE_MISMATCH" });
  });
});
