/**
 * @module The Node entry point as a function: open the database (Postgres or PGlite), migrate, wire the
 * bus and ruleset cache, build the app and listen. `close()` shuts down gracefully: stop accepting, end
 * streams, let in-flight requests finish, then close the database (an open PGlite keeps the process alive).
 */

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import pino from "pino";
import { createApp } from "./app.js";
import { SYSTEM_ACTOR } from "./auth/actor.js";
import { ensureFirstAdmin } from "./auth/setup.js";
import { migrateToLatest, openDatabase } from "./db/index.js";
import type { AppDeps, ChangeBus, RulesetStore } from "./deps.js";
import { applyFlagsFile } from "./flags-as-code/apply.js";
import { ensureAdminKey } from "./keys/store.js";
import { ConflictError } from "./problem/errors.js";
import { startGateTimer } from "./promotion/gates.js";
import { createRulesetStore } from "./rulesets/store.js";
import { startScheduleTimer } from "./schedules/run.js";
import { closeSdkServices, closeStreams, flushSdkWriters } from "./sdk/services.js";
import { type DemoSeed, isDatabaseEmpty, seedDemo } from "./seed/demo.js";
import { createBus } from "./stream/bus.js";
import { WebhookWorker } from "./webhooks/worker.js";

export interface StartServerOptions {
  /** 0 picks a free port. Default 4000. */
  port?: number;
  host?: string;
  databaseUrl?: string;
  /** PGlite data folder; omit or `memory://` for in-memory. Ignored when `databaseUrl` is set. */
  dataDir?: string;
  /** Seed the demo environments, flags, segment and keys if the database is empty. */
  seedDemo?: boolean;
  /** Ensure an admin API key with exactly this secret exists (tests and automation). */
  adminToken?: string;
  logLevel?: string;
  adminUiDir?: string;
  /** Base URL printed in links; default `http://localhost:<port>`. */
  publicUrl?: string;
  /** Create the first admin and print a setup link when there are no users (default true). */
  bootstrapAdmin?: boolean;
  /** How long close() lets in-flight requests finish before cutting connections (default 5 s). */
  shutdownGraceMs?: number;
  /** How often pending promotions' soak gates are checked (default 30 s); the clock is `deps.now`. */
  gateIntervalMs?: number;
  /** A flags file (the CLI's export format) applied on start: creates what is missing, keeps people's edits. */
  flagsFile?: string;
  /** The clock (schedules, soak gates, sessions); default `() => new Date()`. */
  now?: () => Date;
  /** Trust X-Forwarded-For for the client address (rate limits); only behind a proxy. Default false. */
  trustProxy?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  /** Present when the demo was seeded on this start: the SDK key secrets (shown only now). */
  seeded?: DemoSeed;
  /** Present when the first admin still has to choose a password. */
  setupUrl?: string;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = pino({ level: options.logLevel ?? "info", base: { service: "switchyard" } });
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  let bus: ChangeBus | undefined;
  let rulesets: RulesetStore | undefined;
  try {
    await migrateToLatest(database.db);
    bus = await createChangeBus(database, logger);
    const configured = {
      publicUrl: options.publicUrl ?? "",
      adminUiDir: options.adminUiDir,
      trustProxy: options.trustProxy ?? false,
    };
    const now = options.now ?? (() => new Date());
    const partial = { db: database.db, bus, logger, now, config: configured };
    const seeded = options.seedDemo && (await isDatabaseEmpty(partial)) ? await seedOnce(partial) : undefined;
    if (options.flagsFile) {
      const report = await applyFlagsFile(partial, options.flagsFile);
      logger.info(report, `flags file ${options.flagsFile} applied`);
    }
    rulesets = await createRulesets(partial);
    const deps: AppDeps = { ...partial, rulesets };
    if (options.adminToken) await ensureAdminKey(deps, options.adminToken, SYSTEM_ACTOR);

    const app = createApp(deps);
    const server = serve({
      fetch: app.fetch,
      port: options.port ?? 4000,
      hostname: options.host ?? "0.0.0.0",
    });
    await new Promise<void>((ready, fail) => {
      if (server.listening) return ready();
      server.once("listening", ready);
      server.once("error", fail);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`;
    configured.publicUrl = options.publicUrl ?? `http://localhost:${port}`;
    const setupUrl = options.bootstrapAdmin === false ? null : await ensureFirstAdmin(deps);
    const stopGates = startGateTimer(deps, { intervalMs: options.gateIntervalMs });
    const webhooks = new WebhookWorker(deps);
    webhooks.start();
    const stopSchedules = startScheduleTimer(deps);

    let closing: Promise<void> | undefined;
    const close = () => {
      // Order matters: stop accepting → end streams (they never finish by themselves) → flush the
      // batched writers → let in-flight requests finish, then write what they reported → close the
      // database last (an open PGlite keeps the process alive; closing it early fails those writes).
      closing ??= (async () => {
        const stopped = new Promise<void>((done) => server.close(() => done()));
        stopGates();
        stopSchedules();
        closeStreams(deps);
        await flushSdkWriters(deps);
        // A keep-alive connection turns idle when its in-flight request ends: close those as they do.
        const closeIdle = () => "closeIdleConnections" in server && server.closeIdleConnections();
        closeIdle();
        const idle = setInterval(closeIdle, 50);
        const grace = setTimeout(() => {
          if ("closeAllConnections" in server) server.closeAllConnections();
        }, options.shutdownGraceMs ?? 5000);
        await stopped;
        clearInterval(idle);
        clearTimeout(grace);
        await webhooks.stop();
        await closeSdkServices(deps);
        await rulesets?.close();
        await bus?.close();
        await database.close();
      })();
      return closing;
    };
    return { url, port, deps, close, ...(seeded ? { seeded } : {}), ...(setupUrl ? { setupUrl } : {}) };
  } catch (error) {
    await rulesets?.close().catch(() => {});
    await bus?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/** Seeds the demo unless another instance starting at the same time got there first. */
async function seedOnce(deps: Omit<AppDeps, "rulesets">): Promise<DemoSeed | undefined> {
  try {
    return await seedDemo(deps);
  } catch (error) {
    if (error instanceof ConflictError) {
      deps.logger.info("demo already seeded by another instance");
      return undefined;
    }
    throw error;
  }
}

/** The change bus: LISTEN/NOTIFY on Postgres, in-process on PGlite. Shared with the test harness. */
export async function createChangeBus(
  database: Awaited<ReturnType<typeof openDatabase>>,
  logger: pino.Logger,
): Promise<ChangeBus> {
  const connectionString = database.pgPool?.options.connectionString;
  if (database.kind === "postgres" && connectionString) {
    return createBus({ kind: "postgres", connectionString, logger });
  }
  return createBus({ kind: "memory" });
}

/** The ruleset cache, loaded from the database and kept current from the bus. Shared with the test harness. */
export async function createRulesets(deps: Omit<AppDeps, "rulesets">): Promise<RulesetStore> {
  return createRulesetStore({ db: deps.db, bus: deps.bus, logger: deps.logger });
}
