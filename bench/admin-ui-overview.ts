/**
 * The admin UI with 5,000 flags: the production build served by the real server (PGlite in memory), a user
 * logged in through the login page in Debian's headless Chromium, and the time from navigation start until
 * every rendered row of the overview shows the server's full summary in every environment (cells marked
 * `data-summary="full"`, checked each animation frame). Cold: a fresh browser context (no cached scripts)
 * right after a flag changed (the server rebuilds its overview); warm: a reload in the same context with
 * nothing changed. Also the overview answer's size and the first load's JavaScript, gzipped.
 * Target (issue 6): under 1 s; ≤ 250 KB gzip.
 *
 * `cd bench && node --conditions=source --import tsx admin-ui-overview.ts [--write]`
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Browser, type BrowserContext, type Cookie, chromium } from "playwright-core";
import { startServer } from "../server/src/server.js";

const FLAGS = 5_000;
const RUNS = 7;
const ENVIRONMENTS = ["development", "staging", "production"];
const ADMIN = "sy_admin_bench_admin_ui_overview_token_0123";
const PASSWORD = "correct horse battery staple";
const uiRoot = fileURLToPath(new URL("../admin-ui", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "switchyard-ui-"));

execFileSync(
  process.execPath,
  [join(uiRoot, "node_modules/vite/bin/vite.js"), "build", "--outDir", outDir, "--emptyOutDir"],
  { cwd: uiRoot, env: { ...process.env, NODE_ENV: "production" }, stdio: "ignore" },
);
const html = readFileSync(join(outDir, "index.html"), "utf8");
const firstLoad = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
const gzipKb =
  firstLoad.reduce((sum, f) => sum + gzipSync(readFileSync(join(outDir, f)), { level: 9 }).length, 0) / 1024;
const allJs = readdirSync(join(outDir, "assets")).filter((f) => f.endsWith(".js")).length;

const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  adminToken: ADMIN,
  adminUiDir: outDir,
  logLevel: "silent",
  bootstrapAdmin: false,
  shutdownGraceMs: 100,
});
const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const api = async (method: string, path: string, body?: unknown) => {
  const res = await request(method, path, body);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

for (const [i, env] of ENVIRONMENTS.entries())
  await api("POST", "/environments", { key: env, name: env, sortOrder: i });
// 5,000 flags, 16 at a time through the API (each one transaction with its audit entry).
const keys = Array.from({ length: FLAGS }, (_, i) => `flag-${String(i).padStart(5, "0")}`);
for (let i = 0; i < keys.length; i += 16) {
  await Promise.all(
    keys.slice(i, i + 16).map((key, j) =>
      api("POST", "/flags", {
        key,
        name: `Flag ${i + j}`,
        kind: "boolean",
        tags: [`team-${(i + j) % 20}`],
      }),
    ),
  );
}
await api("POST", "/users", {
  email: "bench@example.com",
  name: "Bench",
  role: "editor",
  password: PASSWORD,
});

const { secret: sdkKey } = (await api("POST", "/keys", {
  name: "bench",
  kind: "server",
  environment: "development",
})) as { secret: string };

/**
 * Changes one flag so the server's overview must be rebuilt for the next load, and waits until the
 * server has applied it to its rulesets (as it has long before anyone opens the page after a change).
 */
let toggles = 0;
async function changeSomething(): Promise<void> {
  const path = "/environments/development/flags/flag-00000";
  const state = (await api("GET", path)) as { version: number };
  const { rulesetVersions } = (await api("PATCH", path, {
    on: toggles++ % 2 === 0,
    version: state.version,
  })) as { rulesetVersions: { development: number } };
  // The SDK endpoint's ETag names the version the server holds ("s-development-42").
  for (;;) {
    const res = await fetch(`${server.url}/sdk/v1/ruleset`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${sdkKey}` },
    });
    const held = Number(/-(\d+)"$/.exec(res.headers.get("etag") ?? "")?.[1] ?? 0);
    if (held >= rulesetVersions.development) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** In the page, each animation frame: the time once ≥ 10 rows are rendered and all show full summaries. */
const FULL_SUMMARIES = `(() => {
  const rows = [...document.querySelectorAll("tr.flag-row")];
  const full = (row) => row.querySelectorAll('td[data-summary="full"]').length === ${ENVIRONMENTS.length};
  return rows.length >= 10 && rows.every(full) ? performance.now() : false;
})()`;

/** Loads /flags and returns ms from navigation start until every rendered row has its full summaries. */
async function timeOverview(context: BrowserContext, reuse?: Awaited<ReturnType<BrowserContext["newPage"]>>) {
  const page = reuse ?? (await context.newPage());
  await page.goto(`${server.url}/flags`, { waitUntil: "commit" });
  const ready = await page.waitForFunction(FULL_SUMMARIES, undefined, { polling: "raf", timeout: 30_000 });
  const ms = (await ready.jsonValue()) as number;
  const rows = await page.locator("tr.flag-row").count();
  if (rows > 200) throw new Error(`the list is not virtualised: ${rows} rows rendered`);
  return { ms, page };
}

async function login(browser: Browser): Promise<Cookie[]> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel(/email/i).fill("bench@example.com");
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole("button", { name: /log in/i }).click();
  await page.waitForURL(/\/flags/);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const cookies = await login(browser);
const newContext = async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addCookies(cookies);
  return context;
};

const cold: number[] = [];
for (let run = 0; run < RUNS; run++) {
  await changeSomething();
  const context = await newContext();
  cold.push((await timeOverview(context)).ms);
  await context.close();
}
const warm: number[] = [];
const warmContext = await newContext();
let page = (await timeOverview(warmContext)).page;
for (let run = 0; run < RUNS; run++) {
  const result = await timeOverview(warmContext, page);
  warm.push(result.ms);
  page = result.page;
}
await browser.close();

// The answer itself: its bytes on the wire (node:http, which does not decompress), and the server's time
// rebuilt (after a change), cached, and for a 304.
function timed(headers: Record<string, string> = {}) {
  const started = performance.now();
  return new Promise<{ ms: number; status: number; bytes: number; etag: string }>((resolve, reject) => {
    get(
      `${server.url}/api/v1/overview`,
      { headers: { authorization: `Bearer ${ADMIN}`, ...headers } },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () =>
          resolve({
            ms: performance.now() - started,
            status: res.statusCode ?? 0,
            bytes,
            etag: String(res.headers.etag ?? ""),
          }),
        );
      },
    ).on("error", reject);
  });
}
const apiCold: number[] = [];
const apiWarm: number[] = [];
const api304: number[] = [];
let raw = 0;
let gzip = 0;
for (let run = 0; run < RUNS; run++) {
  await changeSomething();
  const first = await timed({ "accept-encoding": "gzip" });
  apiCold.push(first.ms);
  gzip = first.bytes;
  const again = await timed({ "accept-encoding": "gzip" });
  apiWarm.push(again.ms);
  const unchanged = await timed({ "if-none-match": first.etag });
  if (unchanged.status !== 304) throw new Error(`expected a 304, got ${unchanged.status}`);
  api304.push(unchanged.ms);
  raw = (await timed()).bytes;
}
await server.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const max = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const lines = [
  `admin UI, ${FLAGS.toLocaleString("en")} flags × ${ENVIRONMENTS.length} environments, headless Chromium, ${RUNS} loads each`,
  `  overview with every rendered row's full summaries, cold: median ${ms(median(cold))}, max ${ms(max(cold))}`,
  `  same, warm (reload, nothing changed):                    median ${ms(median(warm))}, max ${ms(max(warm))}`,
  `  GET /api/v1/overview: ${(raw / 1024).toFixed(0)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip; server answer median ${ms(median(apiCold))} rebuilt, ${ms(median(apiWarm))} cached, ${ms(median(api304))} for a 304`,
  `  first-load JavaScript: ${gzipKb.toFixed(1)} KB gzip in ${firstLoad.length} file(s) of ${allJs} (target ≤ 250 KB)`,
];
console.log(lines.join("\n"));
if (process.argv.includes("--write"))
  writeFileSync(new URL("results/admin-ui.md", import.meta.url), `\`\`\`\n${lines.join("\n")}\n\`\`\`\n`);
