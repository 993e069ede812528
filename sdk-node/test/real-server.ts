/**
 * @module Starts the real Switchyard server for the integration tests. Imported at run time (not as a
 * typed import) so this package's typecheck stays within its own sources while the server evolves.
 *
 * Each server gets its own copy of the migrated database the global setup prepared (pglite-template.ts),
 * in a temporary folder unless `dataDir` names one; a folder that already holds a database (a restart) is
 * used as it is.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

export interface RealServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface RealServerOptions {
  port?: number;
  dataDir?: string;
  adminToken: string;
}

/**
 * For hooks and tests that start a server: generous, because on the shared 2-core machine under load even
 * opening a copied database and migrating nothing has taken well over 10 s.
 */
export const SERVER_START_TIMEOUT_MS = 120_000;

const serverModule = "@switchyard/server/src/server.js";

export async function startRealServer(options: RealServerOptions): Promise<RealServer> {
  const { startServer } = (await import(/* @vite-ignore */ serverModule)) as {
    startServer(options: Record<string, unknown>): Promise<RealServer>;
  };
  const temporary = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), "sdk-node-server-"));
  const dataDir = options.dataDir ?? join(temporary as string, "db");
  if (!existsSync(dataDir)) cpSync(inject("pgliteTemplate"), dataDir, { recursive: true });
  const server = await startServer({
    port: options.port ?? 0,
    host: "127.0.0.1",
    dataDir,
    seedDemo: false,
    adminToken: options.adminToken,
    logLevel: "silent",
    bootstrapAdmin: false,
    shutdownGraceMs: 100,
  });
  return {
    url: server.url,
    port: server.port,
    async close() {
      await server.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
