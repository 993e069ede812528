/**
 * @module The change bus between server instances. On Postgres: NOTIFY on one channel after each commit,
 * and a dedicated connection that LISTENs; when that connection drops it reconnects with backoff and
 * tells subscribers to reload (events sent meanwhile are lost, the database is not). On PGlite (one
 * process): an in-process emitter.
 */
import pg from "pg";
import type { Logger } from "pino";
import { createLocalBus } from "../changes/local-bus.js";
import type { ChangeBus, ChangeEvent } from "../deps.js";

export const CHANNEL = "switchyard_changes";

export type BusOptions =
  | { kind: "postgres"; connectionString: string; logger: Logger; maxBackoffMs?: number }
  | { kind: "memory" };

export async function createBus(options: BusOptions): Promise<ChangeBus> {
  if (options.kind === "memory") return createLocalBus();
  return createPgBus(options);
}

function parse(payload: string | undefined): ChangeEvent | undefined {
  try {
    const event = JSON.parse(payload ?? "") as ChangeEvent;
    return typeof event?.type === "string" ? event : undefined;
  } catch {
    return undefined;
  }
}

async function createPgBus(options: Extract<BusOptions, { kind: "postgres" }>): Promise<ChangeBus> {
  const { connectionString, logger } = options;
  const listeners = new Set<(event: ChangeEvent) => void>();
  const reconnectListeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const deliver = (event: ChangeEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        logger.warn({ err: error }, "change listener failed");
      }
    }
  };

  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString });
    next.on("notification", (message) => {
      const event = parse(message.payload);
      if (event) deliver(event);
    });
    next.on("error", (error) => logger.warn({ err: error }, "change bus connection error"));
    next.on("end", () => {
      if (client === next) client = undefined;
      if (!closed) scheduleReconnect(1);
    });
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    return next;
  };

  const scheduleReconnect = (attempt: number) => {
    if (closed || retry) return;
    const delay = Math.min(options.maxBackoffMs ?? 5000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
    retry = setTimeout(async () => {
      retry = undefined;
      try {
        client = await connect();
        logger.info("change bus reconnected");
        for (const listener of [...reconnectListeners]) listener();
      } catch (error) {
        logger.warn({ err: error, attempt }, "change bus reconnect failed");
        scheduleReconnect(attempt + 1);
      }
    }, delay);
    retry.unref?.();
  };

  client = await connect();

  return {
    async publish(event) {
      const payload = JSON.stringify(event);
      if (client) {
        await client.query("select pg_notify($1, $2)", [CHANNEL, payload]);
        return;
      }
      // The listening connection is down: notify through a short-lived one so other instances still hear.
      const once = new pg.Client({ connectionString });
      try {
        await once.connect();
        await once.query("select pg_notify($1, $2)", [CHANNEL, payload]);
      } finally {
        await once.end().catch(() => {});
      }
      deliver(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      listeners.clear();
      reconnectListeners.clear();
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
