/**
 * End to end in real headless Chromium: the real server (in-memory PGlite) serves a client-visible flag; a
 * React page using the SDK shows the feature; the flag is killed through the admin API; the page hides the
 * feature without a reload, within one second. The page's evaluation counts reach the server when it is left
 * and show in the admin usage API.
 */
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFixture, launchChromium, pageHtml } from "./browser.js";

const ADMIN_TOKEN = "sy_admin_e2e_browser_sdk_0123456789abcdef";
const ENV = "e2e";
const FLAG = "new-checkout";
/** Read only by the `?probe` page, so its evaluation count on the server is exactly that page's. */
const PROBE = "metrics-probe";
const PROBE_READS = 7;

/** The slice of the server's `startServer` this test uses (imported at run time: the server's sources are
 * type-checked by the server package, under its own compiler settings). */
interface RunningServer {
  url: string;
  deps: { db: { selectFrom(table: string): SdkInstancesQuery } };
  close(): Promise<void>;
}
interface SdkInstancesQuery {
  select(columns: string[]): SdkInstancesQuery;
  where(column: string, op: string, value: unknown): SdkInstancesQuery;
  executeTakeFirst(): Promise<{ sdk: string; version: unknown } | undefined>;
}
type StartServer = (options: Record<string, unknown>) => Promise<RunningServer>;
const SERVER_ENTRY = fileURLToPath(new URL("../../../server/src/server.ts", import.meta.url));

interface UsageSeries {
  series: { environment: string; variant: string; hour: string; count: number }[];
  lastEvaluated: Record<string, string>;
}

let server: RunningServer;
let browser: Browser;
let page: Page;
/** What the page said (console, errors, failed requests): printed when the test fails, to say why. */
const pageLog: string[] = [];

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Polls `read` until `done` holds (the server writes usage counts once a second), for up to 5 s. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe("browser SDK in headless Chromium", () => {
  beforeAll(async () => {
    const { startServer } = (await import(/* @vite-ignore */ SERVER_ENTRY)) as { startServer: StartServer };
    server = await startServer({
      port: 0,
      host: "127.0.0.1",
      seedDemo: false,
      adminToken: ADMIN_TOKEN,
      logLevel: "warn",
      bootstrapAdmin: false,
    });
    await admin("POST", "/environments", { key: ENV, name: "E2E" });
    await admin("POST", "/flags", { key: FLAG, kind: "boolean", name: "New checkout", clientVisible: true });
    const state = await admin<{ version: number }>("GET", `/environments/${ENV}/flags/${FLAG}`);
    await admin("PATCH", `/environments/${ENV}/flags/${FLAG}`, { on: true, version: state.version });
    const key = await admin<{ secret: string }>("POST", "/keys", {
      name: "e2e page",
      kind: "client",
      environment: ENV,
    });

    const app = await bundleFixture();
    browser = await launchChromium();
    const context = await browser.newContext();
    page = await context.newPage();
    page.on("console", (m) => pageLog.push(`console.${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => pageLog.push(`pageerror: ${e.message}`));
    page.on(
      "response",
      (r) => r.status() >= 400 && pageLog.push(`${r.status()} ${r.request().method()} ${r.url()}`),
    );
    // The page is served from the server's own origin; `?poll` makes it poll instead of streaming, `?probe`
    // makes it read PROBE exactly PROBE_READS times, `?server` uses server-evaluated mode and never polls.
    await context.route(`${server.url}/__e2e/**`, (route) => {
      const url = new URL(route.request().url());
      const config = url.searchParams.has("poll")
        ? { clientKey: key.secret, flag: FLAG, streaming: false, pollIntervalMs: 200 }
        : url.searchParams.has("probe")
          ? { clientKey: key.secret, flag: FLAG, probe: { flag: PROBE, reads: PROBE_READS } }
          : url.searchParams.has("server")
            ? { clientKey: key.secret, flag: FLAG, serverEvaluated: true, pollIntervalMs: 3_600_000 }
            : { clientKey: key.secret, flag: FLAG };
      return url.pathname.endsWith("app.js")
        ? route.fulfill({ contentType: "text/javascript", body: app })
        : route.fulfill({ contentType: "text/html", body: pageHtml(config) });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("hides the feature within 1 s of a kill, without reloading", async () => {
    await page.goto(`${server.url}/__e2e/index.html`);
    await page.waitForSelector("#feature", { timeout: 10_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\npage log:\n${pageLog.join("\n")}`);
    });
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    const started = Date.now();
    await admin("POST", `/environments/${ENV}/flags/${FLAG}/kill`, { reason: "e2e: checkout errors" });
    await page.waitForSelector("#classic", { timeout: 1000 });
    const elapsed = Date.now() - started;

    console.info(`kill → feature hidden in the page: ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
    expect(await page.$("#feature")).toBeNull();
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
  }, 30_000);

  it("acknowledges the killed version, so the server sees the kill reached this browser", async () => {
    const { rulesetVersion } = await admin<{ rulesetVersion: number }>("GET", `/environments/${ENV}`);
    const deadline = Date.now() + 5000;
    let row: { sdk: string; version: unknown } | undefined;
    while (Date.now() < deadline) {
      row = await server.deps.db
        .selectFrom("sdk_instances")
        .select(["sdk", "version"])
        .where("environment_key", "=", ENV)
        .where("sdk", "like", "sdk-browser/%")
        .executeTakeFirst();
      if (row && Number(row.version) === rulesetVersion) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.sdk).toMatch(/^sdk-browser\//);
    expect(Number(row?.version)).toBe(rulesetVersion);
  }, 10_000);

  it("without a stream, polls with ETag and shows the feature again when the flag is turned back on", async () => {
    const polling = await page.context().newPage();
    const revalidated: number[] = [];
    polling.on("response", (r) => r.url().includes("/sdk/v1/client/ruleset") && revalidated.push(r.status()));
    await polling.goto(`${server.url}/__e2e/index.html?poll`);
    await polling.waitForSelector("#classic", { timeout: 10_000 });
    await polling.waitForTimeout(500);
    expect(revalidated[0]).toBe(200);
    expect(revalidated.slice(1)).toContain(304);

    const state = await admin<{ version: number }>("GET", `/environments/${ENV}/flags/${FLAG}`);
    await admin("PATCH", `/environments/${ENV}/flags/${FLAG}`, { on: true, version: state.version });
    await polling.waitForSelector("#feature", { timeout: 2000 });
    expect(revalidated.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    await polling.close();
  }, 20_000);

  it("sends the page's evaluation counts when it is left, and the admin usage API shows them", async () => {
    await admin("POST", "/flags", {
      key: PROBE,
      kind: "boolean",
      name: "Metrics probe",
      clientVisible: true,
    });
    const state = await admin<{ version: number }>("GET", `/environments/${ENV}/flags/${PROBE}`);
    await admin("PATCH", `/environments/${ENV}/flags/${PROBE}`, { on: true, version: state.version });

    const probing = await page.context().newPage();
    await probing.goto(`${server.url}/__e2e/index.html?probe`);
    await probing.waitForFunction(() => "__probed" in window, undefined, { timeout: 10_000 });
    expect(await probing.evaluate(() => (window as unknown as { __probed: boolean }).__probed)).toBe(true);

    // Leaving hides the page and fires pagehide: the SDK sends its counts with sendBeacon. (Its periodic
    // flush waits 60 s, far beyond this test, so nothing else can have delivered them.)
    await probing.goto("about:blank");
    const usage = await waitFor(
      () => admin<UsageSeries>("GET", `/flags/${PROBE}/usage?environment=${ENV}`),
      (u) => u.series.length > 0,
    );
    expect(usage.series.map(({ environment, variant, count }) => ({ environment, variant, count }))).toEqual([
      { environment: ENV, variant: "on", count: PROBE_READS },
    ]);
    expect(usage.lastEvaluated[ENV]).toBeDefined();
    const overview = await admin<{ flags: { flag: string; evaluationsLast7Days: Record<string, number> }[] }>(
      "GET",
      "/usage",
    );
    expect(overview.flags.find((f) => f.flag === PROBE)?.evaluationsLast7Days).toEqual({
      [ENV]: PROBE_READS,
    });
    await probing.close();
  }, 20_000);

  it("in server-evaluated mode, follows the server's OFREP event stream: a kill shows without polling", async () => {
    const evaluated = await page.context().newPage();
    const bulk: string[] = [];
    evaluated.on("request", (r) => r.url().includes("/ofrep/v1/evaluate/flags") && bulk.push(r.url()));
    const streamed = evaluated.waitForRequest((r) => r.url().includes("/ofrep/v1/stream?key="));
    await evaluated.goto(`${server.url}/__e2e/index.html?server`);
    await evaluated.waitForSelector("#feature", { timeout: 10_000 }); // turned back on by the polling test
    await streamed;
    await waitFor(
      async () => bulk.length,
      (n) => n >= 2, // the first fetch, then the revalidation once the stream is open
    );

    const started = Date.now();
    await admin("POST", `/environments/${ENV}/flags/${FLAG}/kill`, { reason: "e2e: server-evaluated page" });
    await evaluated.waitForSelector("#classic", { timeout: 2000 }); // the page polls once an hour
    console.info(`kill → hidden in the server-evaluated page: ${Date.now() - started} ms`);
    expect(bulk.at(-1)).toMatch(/\/ofrep\/v1\/evaluate\/flags\?flagConfigEtag=\d+$/);
    await evaluated.close();
  }, 20_000);
});
