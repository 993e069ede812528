/**
 * `createClient` → ready from a persisted ruleset, the server down (nothing listens on port 9), timed.
 * Run as a script it times one app restart: a fresh process (cold JIT, young heap), the file at argv[2],
 * printing the milliseconds; module loading happens before the clock starts, as before an app's first line.
 */
import { performance } from "node:perf_hooks";
import { createClient } from "@switchyard/sdk-node";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export async function timedStart(persistPath: string): Promise<number> {
  const start = performance.now();
  const client = createClient({
    url: "http://127.0.0.1:9",
    sdkKey: "bench",
    persistPath,
    logger: silent,
    reconnectMinMs: 60_000,
  });
  await client.ready();
  const ms = performance.now() - start;
  if (client.status === "not-ready") throw new Error("client not ready");
  await client.close();
  return ms;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const persistPath = process.argv[2];
  if (!persistPath) throw new Error("usage: sdk-node-cold-start.ts <persisted ruleset file>");
  console.log((await timedStart(persistPath)).toFixed(3));
}
