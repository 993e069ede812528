import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

async function newKey(kind: "server" | "client"): Promise<{ id: number; secret: string }> {
  const res = await t.request(
    "/api/v1/keys",
    json("POST", { name: `revoke-me ${kind}`, kind, environment: "staging" }, t.auth()),
  );
  expect(res.status).toBe(201);
  return read(res);
}

/** Reads until the stream ends; fails the test if it is still open after `ms`. */
async function endsWithin(res: Response, ms: number): Promise<boolean> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      new Promise<"timeout">((done) => setTimeout(() => done("timeout"), deadline - Date.now())),
    ]);
    if (next === "timeout") break;
    if (next.done) return true;
  }
  await reader.cancel();
  return false;
}

describe("revoking an SDK key", () => {
  it.each([
    ["server", "/sdk/v1/stream"],
    ["client", "/sdk/v1/stream"],
    ["client", "/ofrep/v1/stream"],
  ] as const)("ends the %s key's open %s and refuses its reconnect with 401", async (kind, path) => {
    const key = await newKey(kind);
    const other = await newKey(kind);
    const stream = await t.request(path, { headers: { authorization: key.secret } });
    const untouched = await t.request(path, { headers: { authorization: other.secret } });
    expect(stream.status).toBe(200);

    const revoked = await t.request(`/api/v1/keys/${key.id}`, { method: "DELETE", headers: t.auth() });
    expect(revoked.status).toBeLessThan(300);

    expect(await endsWithin(stream, 2000)).toBe(true);
    expect(await endsWithin(untouched, 200)).toBe(false);
    const again = await t.request(path, { headers: { authorization: key.secret } });
    expect(again.status).toBe(401);
  });
});
