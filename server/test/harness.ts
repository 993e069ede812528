/**
 * @module The real app on a real database, without a port: in-memory PGlite by default, or a fresh
 * throw-away Postgres database when `TEST_DATABASE_URL` is set. Share one per test file (beforeAll).
 *
 * @example
 * const t = await createTestServer();
 * const res = await t.request("/api/v1/flags", { headers: t.auth() });
 * await t.close();
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { type App, createApp } from "../src/app.js";
import { SYSTEM_ACTOR } from "../src/auth/actor.js";
import { migrateToLatest, openDatabase } from "../src/db/index.js";
import type { ApiKeyKind, Role } from "../src/db/schema.js";
import type { AppDeps } from "../src/deps.js";
import { generateSecret } from "../src/keys/secret.js";
import { ensureAdminKey, createKey as storeCreateKey } from "../src/keys/store.js";
import { closeSdkServices } from "../src/sdk/services.js";
import { seedDemo } from "../src/seed/demo.js";
import { createChangeBus, createRulesets } from "../src/server.js";

export interface TestServerOptions {
  seedDemo?: boolean;
  now?: () => Date;
  publicUrl?: string;
  trustProxy?: boolean;
}

export interface TestServer {
  app: App;
  deps: AppDeps;
  kind: "pglite" | "postgres";
  /** Calls the app like `fetch`, path relative to the server root. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Secret of an admin API key with the admin role. */
  adminToken: string;
  /** `Authorization` header for a secret (default: the admin token). */
  auth(secret?: string): Record<string, string>;
  /** Creates a key and returns its secret: `createKey("server", "staging")`, `createKey("admin", "viewer")`. */
  createKey(kind: ApiKeyKind, envOrRole?: string): Promise<string>;
  close(): Promise<void>;
}

async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sy_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  const fresh = pgUrl ? await freshPostgres(pgUrl) : undefined;
  const database = await openDatabase(fresh ? { databaseUrl: fresh.url } : { dataDir: "memory://" });
  await migrateToLatest(database.db);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const partial = {
    db: database.db,
    bus: await createChangeBus(database, logger),
    logger,
    now: options.now ?? (() => new Date()),
    config: { publicUrl: options.publicUrl ?? "http://localhost:4000", trustProxy: options.trustProxy },
  };
  if (options.seedDemo) await seedDemo(partial);
  const deps: AppDeps = { ...partial, rulesets: await createRulesets(partial) };
  const adminToken = generateSecret("admin");
  await ensureAdminKey(deps, adminToken, SYSTEM_ACTOR);
  const app = createApp(deps);
  const auth = (secret = adminToken) => ({ authorization: `Bearer ${secret}` });
  return {
    app,
    deps,
    kind: database.kind,
    adminToken,
    auth,
    request: async (path, init) => app.request(path, init),
    async createKey(kind, envOrRole) {
      const input =
        kind === "admin"
          ? { name: `test ${kind}`, kind, role: (envOrRole ?? "admin") as Role }
          : { name: `test ${kind}`, kind, environment: envOrRole };
      return (await storeCreateKey(deps, SYSTEM_ACTOR, input)).secret;
    },
    async close() {
      await closeSdkServices(deps);
      await deps.rulesets.close();
      await deps.bus.close();
      await database.close();
      await fresh?.drop();
    },
  };
}

/** JSON request init with the given headers. */
export function json(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** The JSON body of a response, untyped for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
export const read = (res: Response): Promise<any> => res.json();
