/**
 * Scaling out: several stateless instances on one Postgres stay in step through LISTEN/NOTIFY. Needs a
 * real Postgres (CI sets TEST_DATABASE_URL; the PGlite pass has no second process to talk to).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { read } from "../../test/harness.js";
import { type RunningServer, startServer } from "../server.js";

const baseUrl = process.env.TEST_DATABASE_URL;
const ADMIN = `sy_admin_${"t".repeat(43)}`;

describe.runIf(baseUrl)("two server instances on one Postgres", () => {
  const name = `sy_two_${randomBytes(5).toString("hex")}`;
  let a: RunningServer;
  let b: RunningServer;
  let serverKey: string;

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(baseUrl as string);
    url.pathname = `/${name}`;
    const options = {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: url.toString(),
      adminToken: ADMIN,
      logLevel: "silent",
      bootstrapAdmin: false,
    };
    a = await startServer({ ...options, seedDemo: true });
    b = await startServer(options);
    const res = await fetch(`${a.url}/api/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "two", kind: "server", environment: "production" }),
    });
    const body = await read(res);
    serverKey = body.secret ?? body.key;
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  /** Opens B's stream and resolves with the first `patch` whose version reaches `atLeast()`. */
  async function nextPatchOnB(): Promise<{ read: () => Promise<number>; close: () => Promise<void> }> {
    const res = await fetch(`${b.url}/sdk/v1/stream`, { headers: { authorization: serverKey } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    return {
      async read() {
        for (;;) {
          const match = /event: patch\nid: (\d+)/.exec(buffer);
          if (match) {
            buffer = buffer.slice((match.index ?? 0) + match[0].length);
            return Number(match[1]);
          }
          const { value, done } = await reader.read();
          if (done) throw new Error("stream ended");
          buffer += decoder.decode(value, { stream: true });
        }
      },
      close: () => reader.cancel(),
    };
  }

  const kill = async (flag: string) => {
    const res = await fetch(`${a.url}/api/v1/environments/production/flags/${flag}/kill`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "two-instance test" }),
    });
    expect(res.status).toBe(200);
    return (await read(res)).rulesetVersions.production as number;
  };

  it("a kill committed through instance A reaches an SSE client of instance B", async () => {
    const stream = await nextPatchOnB();
    const version = await kill("new-checkout");
    expect(await stream.read()).toBe(version);
    await stream.close();
    const ruleset = await read(
      await fetch(`${b.url}/sdk/v1/ruleset`, { headers: { authorization: serverKey } }),
    );
    expect(ruleset.flags.find((f: { key: string }) => f.key === "new-checkout").on).toBe(false);
  });

  it("B catches up after its LISTEN connection is cut, instead of serving stale rules", async () => {
    const cut = await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND query ILIKE 'LISTEN%'`,
    );
    expect(cut.rowCount).toBeGreaterThanOrEqual(1);
    const version = await kill("banner-text");
    await b.deps.rulesets.waitForVersion("production", version, 10_000);
    expect(b.deps.rulesets.server("production")?.ruleset.flags.find((f) => f.key === "banner-text")?.on).toBe(
      false,
    );
  });
});
