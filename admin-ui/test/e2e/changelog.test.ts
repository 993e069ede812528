/**
 * The changelog in real headless Chromium: a kill with a reason reads as a sentence in production's
 * changelog, the flag filter keeps the URL, and the CSV export (with the session cookie) holds what the
 * screen shows.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e } from "./harness.js";

let e2e: E2e;
let page: Page;

beforeAll(async () => {
  e2e = await startE2e();
  ({ page } = await e2e.loginAs(await e2e.createUser("viewer", "Vic Viewer")));
  await e2e.api("POST", "/environments/production/flags/new-checkout/kill", {
    reason: "checkout errors spiking",
  });
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

describe("changelog in Chromium", () => {
  it("reads a kill as a sentence, filters by flag and exports the same as CSV", async () => {
    await page.goto(`${e2e.server.url}/changelog?environment=production`);
    const list = page.getByRole("list", { name: "Changes in production" });
    const kill = list.getByRole("listitem").filter({ hasText: "Why: checkout errors spiking" });
    await kill.waitFor();
    expect(await kill.textContent()).toMatch(/killed new-checkout in production/i);

    const form = page.getByRole("form", { name: "Filter the changelog" });
    await form.getByLabel("Flag").fill("new-checkout");
    await form.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/flag=new-checkout/);
    await kill.waitFor();
    await e2e.screenshot(page, "changelog");

    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(href).toContain("flag=new-checkout");
    const csv = await page.request.get(`${e2e.server.url}${href}`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("at,actor,actor_type,action,flag,reason,summary");
    expect(text).toContain('"checkout errors spiking"');
    const json = await page.request.get(
      `${e2e.server.url}${await page.getByRole("link", { name: "Export JSON" }).getAttribute("href")}`,
    );
    const body = (await json.json()) as { entries: { reason: string | null }[] };
    expect(body.entries.some((e) => e.reason === "checkout errors spiking")).toBe(true);
  });
});
