/**
 * @module Opens the database: Postgres through a `pg` pool when a URL is given, otherwise an embedded
 * PGlite in a data folder (or in memory). bigint columns are parsed to numbers on both.
 */
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export interface OpenDatabaseOptions {
  /** `postgres://…`: use Postgres. */
  databaseUrl?: string;
  /** PGlite data folder; omit or `memory://` for an in-memory database. */
  dataDir?: string;
  /** Pool size for Postgres (default 10). */
  poolSize?: number;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: "postgres" | "pglite";
  pglite?: PGlite;
  pgPool?: pg.Pool;
  /** Closes the pool or the PGlite instance (PGlite must be closed or the process never exits). */
  close(): Promise<void>;
}

const INT8_OID = 20;
const toNumber = (value: string) => Number(value);

/**
 * @example
 * const { db, close } = await openDatabase({ dataDir: "memory://" });
 * await migrateToLatest(db);
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === INT8_OID
            ? toNumber
            : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    let closed = false;
    return {
      db,
      kind: "postgres",
      pgPool: pool,
      async close() {
        if (closed) return;
        closed = true;
        await db.destroy();
      },
    };
  }
  const dataDir = !options.dataDir || options.dataDir === "memory://" ? undefined : options.dataDir;
  const pglite = await PGlite.create(dataDir, { parsers: { [INT8_OID]: toNumber } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: "pglite",
    pglite,
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
