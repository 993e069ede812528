/** @module Database access: open (Postgres or PGlite), migrate, and the schema types. */

export { migrateToLatest } from "./migrate.js";
export { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from "./open.js";
export type * from "./schema.js";
