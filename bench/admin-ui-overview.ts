/**
 * The admin UI with 5,000 flags: the production build served by the real server (PGlite in memory), a user
 * logged in through the login page in Debian's headless Chromium, and the time from navigation start to the
 * overview showing its first rows with what each flag serves per environment. Also the first load's
 * JavaScript, gzipped. Target (issue 6): under 1 s; ≤ 250 KB gzip.
 *
 * `cd bench && node --conditions=source --import tsx admin-ui-overview.ts`
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startServer } from "../server/src/server.js";

const FLAGS = 5_000;
const RUNS = 5;
const ADMIN = "sy_admin_bench_admin_ui_overview_token_0123";
const PASSWORD = "correct horse battery staple";
const uiRoot = fileURLToPath(new URL("../admin-ui", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "switchyard-ui-"));

execFileSync(
  process.execPath,
  [join(uiRoot, "node_modules/vite/bin/vite.js"), "build", "--outDir", outDir, "--emptyOutDir"],
  {
    cwd: uiRoot,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: "ignore",
  },
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
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

for (const [i, env] of ["development", "staging", "production"].entries())
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

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
await page.goto(`${server.url}/login`);
await page.getByLabel(/email/i).fill("bench@example.com");
await page.getByLabel(/password/i).fill(PASSWORD);
await page.getByRole("button", { name: /log in/i }).click();
await page.waitForURL(/\/flags/);

const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto(`${server.url}/flags`);
  // First rows, with the summary of what each flag serves in every environment.
  await page.locator("tr.flag-row .status-text").nth(2).waitFor();
  times.push(await page.evaluate(() => performance.now()));
  const rows = await page.locator("tr.flag-row").count();
  if (rows > 200) throw new Error(`the list is not virtualised: ${rows} rows rendered`);
}
await browser.close();
await server.close();

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] as number;
console.log(`admin UI, ${FLAGS.toLocaleString("en")} flags × 3 environments, headless Chromium`);
console.log(
  `  overview with summaries: median ${median.toFixed(0)} ms, max ${(times.at(-1) as number).toFixed(0)} ms over ${RUNS} loads (target < 1,000 ms)`,
);
console.log(
  `  first-load JavaScript: ${gzipKb.toFixed(1)} KB gzip in ${firstLoad.length} file(s) of ${allJs} (target ≤ 250 KB)`,
);
