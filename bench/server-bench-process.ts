/**
 * The server under load, in its own process (the load generator must not share its event loop): starts
 * Switchyard on an in-memory PGlite (or on DATABASE_URL), seeds FLAGS flags into a `bench` environment, prints one JSON line with
 * its URL and keys, then answers "memory" on stdin with its RSS and heap after a GC. Exits on stdin close.
 *   FLAGS=1000 node --expose-gc --conditions=source --import tsx server-bench-process.ts
 */
import { createInterface } from "node:readline";
import { jsonb } from "@switchyard/server/src/db/json.js";
import { startServer } from "@switchyard/server/src/server.js";

const FLAGS = Number(process.env.FLAGS ?? 1000);
const ADMIN = `sy_admin_${"b".repeat(43)}`;
process.env.SWITCHYARD_SERVER_KEY_RPS ??= "1000000000";

const database = process.env.DATABASE_URL
  ? { databaseUrl: process.env.DATABASE_URL }
  : { dataDir: "memory://" };
const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  ...database,
  adminToken: ADMIN,
  logLevel: "silent",
  bootstrapAdmin: false,
});
const api = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then(async (r) => {
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, unknown>>;
  });

await api("/api/v1/environments", { key: "bench", name: "Bench" });
const { db } = server.deps;
const variations = [
  { key: "on", value: true },
  { key: "off", value: false },
];
// Bulk insert: flags through the API would take minutes for 10,000; the rows are what the API writes.
for (let start = 0; start < FLAGS; start += 1000) {
  const keys = Array.from({ length: Math.min(1000, FLAGS - start) }, (_, i) => `flag-${start + i}`);
  await db
    .insertInto("flags")
    .values(
      keys.map((key) => ({
        key,
        name: key,
        kind: "boolean" as const,
        variations: jsonb(variations),
        tags: jsonb(["bench"]),
        salt: `salt-${key}`,
        client_visible: true,
      })),
    )
    .execute();
  await db
    .insertInto("flag_states")
    .values(
      keys.map((key) => ({
        flag_key: key,
        environment_key: "bench",
        on: true,
        off_variation: "off",
        prerequisites: jsonb([]),
        targets: jsonb([{ variation: "on", values: ["vip-1", "vip-2"] }]),
        rules: jsonb([
          {
            id: "de",
            clauses: [{ attribute: "country", op: "in" as const, values: ["DE", "AT"] }],
            serve: { variation: "on" },
          },
        ]),
        fallthrough: jsonb({
          rollout: {
            weights: [
              { variation: "on", weight: 20_000 },
              { variation: "off", weight: 80_000 },
            ],
          },
        }),
      })),
    )
    .execute();
}
const before = await db
  .selectFrom("environments")
  .select("ruleset_version")
  .where("key", "=", "bench")
  .executeTakeFirstOrThrow();
const current = { ruleset_version: before.ruleset_version + 1 };
await db.updateTable("environments").set(current).where("key", "=", "bench").execute();
await server.deps.bus.publish({ type: "environments" });
await server.deps.rulesets.waitForVersion("bench", current.ruleset_version, 60_000);

const serverKey = (await api("/api/v1/keys", { name: "bench", kind: "server", environment: "bench" }))
  .secret as string;
console.log(
  JSON.stringify({
    url: server.url,
    adminToken: ADMIN,
    serverKey,
    environment: "bench",
    flags: FLAGS,
    version: current.ruleset_version,
  }),
);

const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin })
  .on("line", (line) => {
    if (line.trim() === "memory") {
      gc?.();
      const m = process.memoryUsage();
      console.log(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed }));
    }
  })
  .on("close", async () => {
    await server.close();
    process.exit(0);
  });
