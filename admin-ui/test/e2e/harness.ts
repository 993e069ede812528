/**
 * @module End-to-end harness: the real server (in-memory PGlite, demo data) serving the built admin UI, users
 * with passwords for each role, and Debian's headless Chromium driven by playwright-core. Screenshots go to
 * `admin-ui/test-artifacts/screenshots/`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { UI_BUILD_DIR } from "./build-ui.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = fileURLToPath(new URL("../../test-artifacts/screenshots", import.meta.url));
export const PASSWORD = "correct horse battery staple";
const ADMIN_TOKEN = "sy_admin_e2e_admin_ui_0123456789abcdef0123";
const SERVER_ENTRY = fileURLToPath(new URL("../../../server/src/server.ts", import.meta.url));

/** The slice of the server's `startServer` result these tests use (imported at run time). */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}
type StartServer = (options: Record<string, unknown>) => Promise<RunningServer>;

export interface E2e {
  server: RunningServer;
  browser: Browser;
  /** Admin API call with the admin token: `api("POST", "/flags", {...})`. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Creates a user with {@link PASSWORD}; returns the email. */
  createUser(role: "viewer" | "editor" | "admin", name: string): Promise<string>;
  /** A fresh browser context logged in as `email` through the login page, at `/flags`. */
  loginAs(email: string): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startE2e(options: { seedDemo?: boolean } = {}): Promise<E2e> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  if (!existsSync(`${UI_BUILD_DIR}/index.html`)) throw new Error("The admin UI was not built (globalSetup).");
  const { startServer } = (await import(/* @vite-ignore */ SERVER_ENTRY)) as { startServer: StartServer };
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    seedDemo: options.seedDemo ?? true,
    adminToken: ADMIN_TOKEN,
    adminUiDir: UI_BUILD_DIR,
    logLevel: "silent",
    bootstrapAdmin: false,
    shutdownGraceMs: 100,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  let users = 0;
  return {
    server,
    browser,
    api,
    async createUser(role, name) {
      const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${++users}@example.com`;
      await api("POST", "/users", { email, name, role, password: PASSWORD });
      return email;
    },
    async loginAs(email) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel(/email/i).fill(email);
      await page.getByLabel(/password/i).fill(PASSWORD);
      await page.getByRole("button", { name: /log in|sign in/i }).click();
      await page.waitForURL(/\/flags/);
      return { context, page };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
