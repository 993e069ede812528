/**
 * @module Starts the real Switchyard server for the integration tests. Imported at run time (not as a
 * typed import) so this package's typecheck stays within its own sources while the server evolves.
 */
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

const serverModule = "@switchyard/server/src/server.js";

export async function startRealServer(options: RealServerOptions): Promise<RealServer> {
  const { startServer } = (await import(/* @vite-ignore */ serverModule)) as {
    startServer(options: Record<string, unknown>): Promise<RealServer>;
  };
  return startServer({
    port: options.port ?? 0,
    host: "127.0.0.1",
    dataDir: options.dataDir,
    seedDemo: false,
    adminToken: options.adminToken,
    logLevel: "silent",
    bootstrapAdmin: false,
    shutdownGraceMs: 100,
  });
}
