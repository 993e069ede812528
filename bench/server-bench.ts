/**
 * Server throughput, kill-switch propagation and memory, over loopback on this 2-core machine (the load
 * generator shares the cores with the server, as the issue asks). The server runs in its own process
 * (server-bench-process.ts); this process drives it with autocannon and raw SSE sockets.
 *   cd bench && node --conditions=source --import tsx server-bench.ts [--write]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import pg from "pg";

interface Memory {
  rss: number;
  heapUsed: number;
}

interface Started {
  child: ChildProcess;
  info: { url: string; adminToken: string; serverKey: string; environment: string; version: number };
  ask(line: string): Promise<Memory>;
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

async function startServer(flags: number, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--conditions=source", "--import", "tsx", "server-bench-process.ts"],
    {
      cwd: new URL(".", import.meta.url).pathname,
      env: { ...process.env, FLAGS: String(flags), ...env },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const queue: ((line: string) => void)[] = [];
  lines.on("line", (line) => queue.shift()?.(line));
  const next = () => new Promise<string>((resolve) => queue.push(resolve));
  const info = JSON.parse(await next());
  return {
    child,
    info,
    async ask(line) {
      const answer = next();
      child.stdin?.write(`${line}\n`);
      return JSON.parse(await answer);
    },
  };
}

function stop(s: Started): Promise<void> {
  return new Promise((resolve) => {
    s.child.once("exit", () => resolve());
    s.child.stdin?.end();
  });
}

interface Load {
  name: string;
  rps: number;
  p99: number;
  errors: number;
}

async function load(name: string, options: Record<string, unknown>): Promise<Load> {
  const result = await autocannon({ duration: DURATION, connections: 50, ...options });
  const errors =
    result.errors + result.timeouts + result.non2xx - (options.expect304 ? (result["3xx"] ?? 0) : 0);
  return { name, rps: result.requests.average, p99: result.latency.p99, errors };
}

/** Opens `count` SSE streams that resume at `version` (so they start quiet) and records patch arrivals. */
async function openStreams(url: string, key: string, version: number, count: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: count + 10 });
  const arrivals = new Map<number, number[]>();
  const sockets: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(
            `${url}/sdk/v1/stream`,
            {
              agent,
              headers: {
                authorization: key,
                "last-event-id": String(version),
                "x-switchyard-instance": `bench-${i}`,
              },
            },
            (res) => {
              let tail = "";
              res.setEncoding("utf8");
              res.on("data", (chunk: string) => {
                tail = (tail + chunk).slice(-8192);
                for (const m of tail.matchAll(/event: patch\nid: (\d+)/g)) {
                  const v = Number(m[1]);
                  const list = arrivals.get(v) ?? [];
                  if (list.length < count) list.push(performance.now());
                  arrivals.set(v, list);
                }
                tail = tail.slice(tail.lastIndexOf("\n\n") + 1);
              });
              resolve();
            },
          );
          req.on("error", reject);
          sockets.push(req);
        }),
    ),
  );
  return {
    arrivals,
    close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function killPropagation(s: Started, streams = 1000, rounds = 10) {
  const { url, adminToken, serverKey, environment } = s.info;
  const current = await (
    await fetch(`${url}/sdk/v1/ruleset`, { headers: { authorization: serverKey } })
  ).json();
  const clients = await openStreams(url, serverKey, (current as { version: number }).version, streams);
  const fromReturn: number[] = [];
  const fromCall: number[] = [];
  const admin = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const waitAll = async (version: number) => {
    const deadline = performance.now() + 10_000;
    while ((clients.arrivals.get(version)?.length ?? 0) < streams && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    return clients.arrivals.get(version) ?? [];
  };
  for (let round = 0; round < rounds; round++) {
    const flag = `flag-${round}`;
    const called = performance.now();
    const res = await fetch(`${url}/api/v1/environments/${environment}/flags/${flag}/kill`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ reason: "bench" }),
    });
    const returned = performance.now();
    const version = ((await res.json()) as { rulesetVersions: Record<string, number> }).rulesetVersions[
      environment
    ] as number;
    const got = await waitAll(version);
    if (got.length < streams)
      throw new Error(`only ${got.length} of ${streams} streams got version ${version}`);
    for (const t of got) {
      fromReturn.push(Math.max(0, t - returned));
      fromCall.push(t - called);
    }
    const back = await fetch(`${url}/api/v1/environments/${environment}/flags/${flag}`, {
      method: "PATCH",
      headers: { ...admin, "if-match": "*" },
      body: JSON.stringify({ on: true }),
    });
    await waitAll(
      ((await back.json()) as { rulesetVersions: Record<string, number> }).rulesetVersions[
        environment
      ] as number,
    );
  }
  clients.close();
  fromReturn.sort((a, b) => a - b);
  fromCall.sort((a, b) => a - b);
  return {
    median: percentile(fromReturn, 50),
    p99: percentile(fromReturn, 99),
    callMedian: percentile(fromCall, 50),
    callP99: percentile(fromCall, 99),
    deliveries: fromReturn.length,
  };
}

async function memoryWithStreams(flags: number, streams: number, databaseUrl?: string) {
  const s = await startServer(flags, databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  const clients = await openStreams(s.info.url, s.info.serverKey, s.info.version, streams);
  await new Promise((r) => setTimeout(r, 500));
  const m = await s.ask("memory");
  clients.close();
  await stop(s);
  return m;
}

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const name = `sy_bench_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: base });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const s = await startServer(1000);
  const { url, serverKey } = s.info;
  const auth = { authorization: serverKey };
  const etag = (await fetch(`${url}/sdk/v1/ruleset`, { headers: auth })).headers.get("etag") as string;
  const ofrepBody = JSON.stringify({ context: { targetingKey: "user-42", country: "FR" } });
  const post = { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: ofrepBody };

  const loads = [
    await load("GET /sdk/v1/ruleset, 1,000 flags — 304", {
      url: `${url}/sdk/v1/ruleset`,
      headers: { ...auth, "if-none-match": etag },
      expect304: true,
    }),
    await load("GET /sdk/v1/ruleset, 1,000 flags — 200", { url: `${url}/sdk/v1/ruleset`, headers: auth }),
    await load("GET /sdk/v1/ruleset, 1,000 flags — 200 gzip", {
      url: `${url}/sdk/v1/ruleset`,
      headers: { ...auth, "accept-encoding": "gzip" },
    }),
    await load("OFREP single evaluation", { url: `${url}/ofrep/v1/evaluate/flags/flag-7`, ...post }),
    await load("OFREP bulk evaluation, 1,000 flags", { url: `${url}/ofrep/v1/evaluate/flags`, ...post }),
  ];
  for (const l of loads)
    console.log(
      `${l.name.padEnd(46)} ${l.rps.toFixed(0).padStart(7)} req/s   p99 ${l.p99} ms   errors ${l.errors}`,
    );

  const kill = await killPropagation(s);
  console.log(
    `kill → 1,000 streams: median ${kill.median.toFixed(1)} ms, p99 ${kill.p99.toFixed(1)} ms after the admin call returned (from the call's start: median ${kill.callMedian.toFixed(1)}, p99 ${kill.callP99.toFixed(1)}), ${kill.deliveries} deliveries`,
  );
  await stop(s);

  const db = await freshDatabase();
  const onPostgres = db ? await memoryWithStreams(10_000, 1000, db.url) : undefined;
  await db?.drop();
  const onPglite = await memoryWithStreams(10_000, 1000);
  if (onPostgres)
    console.log(
      `memory, 10,000 flags + 1,000 streams, on Postgres: RSS ${mb(onPostgres.rss)}, heap ${mb(onPostgres.heapUsed)}`,
    );
  console.log(
    `memory, 10,000 flags + 1,000 streams, embedded PGlite in the same process: RSS ${mb(onPglite.rss)}, heap ${mb(onPglite.heapUsed)}`,
  );

  if (process.argv.includes("--write")) writeResults(loads, kill, onPostgres, onPglite);
}

function writeResults(
  loads: Load[],
  kill: Awaited<ReturnType<typeof killPropagation>>,
  pgMem: Memory | undefined,
  pgliteMem: Memory,
) {
  const targets: Record<string, [number, string]> = {
    "GET /sdk/v1/ruleset, 1,000 flags — 304": [30_000, "≥ 30,000 req/s"],
    "GET /sdk/v1/ruleset, 1,000 flags — 200": [2_000, "≥ 2,000 req/s"],
    "GET /sdk/v1/ruleset, 1,000 flags — 200 gzip": [2_000, "≥ 2,000 req/s"],
    "OFREP single evaluation": [20_000, "≥ 20,000 req/s, p99 ≤ 10 ms"],
    "OFREP bulk evaluation, 1,000 flags": [2_000, "≥ 2,000 req/s"],
  };
  const rows = loads.map((l) => {
    const [min, text] = targets[l.name] ?? [0, ""];
    const ok = l.rps >= min && (l.name !== "OFREP single evaluation" || l.p99 <= 10) && l.errors === 0;
    return `| ${l.name} | ${l.rps.toFixed(0)} req/s | ${l.p99} ms | ${text} | ${ok ? "met" : "**not met**"} |`;
  });
  const memory = pgMem ?? pgliteMem;
  const text = `# Server benchmarks

Command: \`cd bench && node --conditions=source --import tsx server-bench.ts --write\` (${DURATION} s per load,
50 connections, autocannon in this process, the server in a child process; both on the same 2 cores, over
loopback). ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.

| load | throughput | p99 latency | target | |
|---|---:|---:|---|---|
${rows.join("\n")}

| kill switch → 1,000 connected SSE streams (10 kills, ${kill.deliveries} deliveries) | figure | target | |
|---|---:|---|---|
| median, from the admin call returning to each stream having the patch | ${kill.median.toFixed(1)} ms | | |
| p99, same | ${kill.p99.toFixed(1)} ms | ≤ 50 ms | ${kill.p99 <= 50 ? "met" : "**not met**"} |
| median / p99 from the admin call starting (includes the commit) | ${kill.callMedian.toFixed(1)} / ${kill.callP99.toFixed(1)} ms | | |

| server memory, 10,000 flags + 1,000 streams | RSS | heap used | target | |
|---|---:|---:|---|---|
${pgMem ? `| on PostgreSQL (the scale-out deployment) | ${mb(pgMem.rss)} | ${mb(pgMem.heapUsed)} | ≤ 300 MB | ${pgMem.rss <= 300 * 1024 * 1024 ? "met" : "**not met**"} |\n` : ""}| on the embedded PGlite (a whole Postgres in WASM inside the same process) | ${mb(pgliteMem.rss)} | ${mb(pgliteMem.heapUsed)} | | |

${memory === pgliteMem ? "PostgreSQL was not reachable, so only the embedded figure was measured.\n" : ""}`;
  writeFileSync(new URL("results/server.md", import.meta.url), text);
}

await main();
