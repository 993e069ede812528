/** Core's shared vectors in real headless Chromium: the browser gives the same answers as Node. */
import { fileURLToPath } from "node:url";
import { vectors } from "@switchyard/core/vectors";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.js";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(() => browser?.close());

describe("shared vectors in Chromium", () => {
  it(`answer all ${vectors.cases.length} cases and every hash like Node does`, async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL("vectors-page/run.ts", import.meta.url))],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2020",
      conditions: ["source"],
      write: false,
      logLevel: "error",
    });
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ content: out.outputFiles[0]?.text ?? "", type: "module" });
    await page.waitForFunction(() => "__vectors" in window);
    const mismatches = await page.evaluate(
      () => (window as unknown as { __vectors: Promise<string[]> }).__vectors,
    );
    expect(mismatches).toEqual([]);
    expect(await page.evaluate(() => navigator.userAgent)).toContain("Chrome");
    await page.close();
  }, 60_000);
});
