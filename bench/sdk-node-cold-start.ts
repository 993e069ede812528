/**
 * One app restart, timed: in a fresh process (cold JIT, young heap), `createClient` → ready from the
 * persisted ruleset at argv[2], the server down. Prints the milliseconds. Spawned by sdk-node-footprint.ts;
 * module loading happens before the clock starts, as it does before an app's first line.
 */
import { performance } from "node:perf_hooks";
import { createClient } from "@switchyard/sdk-node";

const persistPath = process.argv[2];
if (!persistPath) throw new Error("usage: sdk-node-cold-start.ts <persisted ruleset file>");
const silent = { debug() {}, info() {}, warn() {}, error() {} };
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
console.log(ms.toFixed(3));
