import { describe, expect, it } from "vitest";
import { read } from "../../test/harness.js";
import { startServer } from "../server.js";

const ADMIN = `sy_admin_${"s".repeat(43)}`;

describe("graceful shutdown", () => {
  it("ends SDK and OFREP streams itself instead of waiting out the grace period", async () => {
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      seedDemo: false,
      adminToken: ADMIN,
      logLevel: "silent",
      bootstrapAdmin: false,
      shutdownGraceMs: 60_000,
    });
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await post("/api/v1/environments", { key: "prod", name: "Production" });
    const key = (await read(await post("/api/v1/keys", { name: "k", kind: "client", environment: "prod" })))
      .secret as string;

    const streams = await Promise.all([
      fetch(`${server.url}/sdk/v1/stream?key=${key}`),
      fetch(`${server.url}/ofrep/v1/stream?key=${key}`),
    ]);
    const readers = streams.map((s) => (s.body as ReadableStream<Uint8Array>).getReader());
    await Promise.all(readers.map((r) => r.read()));

    // With a 60 s grace period, close() finishing within the test timeout means the streams were ended.
    await server.close();
    for (const reader of readers) {
      let done = false;
      while (!done) done = (await reader.read().catch(() => ({ done: true }))).done;
      expect(done).toBe(true);
    }
  }, 20_000);
});
