/**
 * @module Vitest global setup of the real-server tests: one embedded database, created and migrated once per
 * run, that every test file's server starts from as a copy. Creating a PGlite cluster is the slow part of
 * starting the server (about 5 s on a quiet machine, over 20 s on a busy one); opening a copy of a migrated
 * one takes a fraction of that. Vitest runs this only when a file of the real-server project is queued.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data folder to copy; never opened by the tests themselves. */
    pgliteTemplate: string;
  }
}

interface ServerDatabase {
  openDatabase(options: { dataDir: string }): Promise<{ db: unknown; close(): Promise<void> }>;
  migrateToLatest(db: unknown): Promise<void>;
}

// Imported at run time, like the server itself in real-server.ts, so the typecheck stays in this package.
const databaseModule = "@switchyard/server/src/db/index.js";

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "sdk-node-pglite-"));
  const template = join(dir, "template");
  const { openDatabase, migrateToLatest } = (await import(
    /* @vite-ignore */ databaseModule
  )) as ServerDatabase;
  const database = await openDatabase({ dataDir: template });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  project.provide("pgliteTemplate", template);
  return () => rmSync(dir, { recursive: true, force: true });
}
