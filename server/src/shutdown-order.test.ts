import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { read } from "../test/harness.js";
import { startListening } from "../test/listening.js";
import { openDatabase } from "./db/index.js";

const dataDir = mkdtempSync(join(tmpdir(), "sy-shutdown-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("graceful shutdown order", () => {
  it("ends streams, lets an in-flight report finish and stores it, then closes the database", async () => {
    const { server, post } = await startListening({ dataDir, shutdownGraceMs: 10_000 });
    await post("/api/v1/environments", { key: "prod", name: "Production" });
    await post("/api/v1/flags", { key: "late", name: "Late", kind: "boolean" });
    const key = (await read(await post("/api/v1/keys", { name: "k", kind: "server", environment: "prod" })))
      .secret as string;
    const stream = await fetch(`${server.url}/sdk/v1/stream`, { headers: { authorization: key } });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();

    // A metrics report whose body is still arriving when shutdown starts.
    const body = JSON.stringify({
      instanceId: "i-late",
      sdk: "test",
      start: 0,
      end: 1,
      evaluations: [{ flag: "late", variant: "true", count: 9 }],
    });
    const answered = new Promise<number>((done, fail) => {
      const req = request(
        `${server.url}/sdk/v1/metrics`,
        {
          method: "POST",
          headers: {
            authorization: key,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on("error", fail);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 50));
    const closing = server.close();

    // Streams end first, while the report is still in flight.
    let ended = false;
    while (!ended) ended = (await reader.read().catch(() => ({ done: true }))).done;
    expect(await answered).toBe(202);
    await closing;

    // The database is closed (else the process would not exit) and the late report is stored.
    await expect(server.deps.db.selectFrom("flags").select("key").execute()).rejects.toThrow();
    const reopened = await openDatabase({ dataDir });
    const row = await reopened.db
      .selectFrom("evaluation_metrics")
      .select("count")
      .where("flag_key", "=", "late")
      .executeTakeFirst();
    await reopened.close();
    expect(Number(row?.count)).toBe(9);
  }, 30_000);
});
