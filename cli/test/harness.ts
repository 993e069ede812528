/**
 * A real Switchyard server for the CLI tests (in process, PGlite in memory, demo data, an admin token),
 * and `sy`, which runs the command in process and returns what a CI job would see.
 */
import { fileURLToPath } from "node:url";
import { run } from "../src/main.js";

const SERVER_ENTRY = fileURLToPath(new URL("../../server/src/server.ts", import.meta.url));
export const ADMIN_TOKEN = "sy_admin_cli_integration_token_0123456789abc";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const { startServer } = (await import(/* @vite-ignore */ SERVER_ENTRY)) as {
    startServer(o: Record<string, unknown>): Promise<TestServer>;
  };
  return startServer({
    port: 0,
    host: "127.0.0.1",
    seedDemo: true,
    adminToken: ADMIN_TOKEN,
    logLevel: "silent",
    bootstrapAdmin: false,
    shutdownGraceMs: 100,
  });
}

export async function sy(server: TestServer, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { SWITCHYARD_URL: server.url, SWITCHYARD_TOKEN: ADMIN_TOKEN },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The admin API directly, for setting up what a test needs. */
export async function admin<T = unknown>(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...headers,
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
