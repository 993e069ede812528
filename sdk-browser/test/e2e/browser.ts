/** Real headless Chromium (Debian's package) driven by playwright-core, plus the bundled fixture page. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The fixture app bundled as the SDK's users would ship it (minified ESM, React included). */
export async function bundleFixture(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL("fixture/app.tsx", import.meta.url))],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    conditions: ["source"],
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

export const pageHtml = (config: unknown) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Switchyard e2e</title></head>
<body><div id="root"></div>
<script>window.__E2E__ = ${JSON.stringify(config)};</script>
<script type="module" src="/__e2e/app.js"></script>
</body></html>`;
