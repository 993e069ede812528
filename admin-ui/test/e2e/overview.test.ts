/**
 * End to end in real headless Chromium against the real server: log in through the login page, see every
 * demo flag with what it serves per environment and its pipeline, and kill one from the overview with a
 * reason.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e } from "./harness.js";

let e2e: E2e;
let page: Page;

beforeAll(async () => {
  e2e = await startE2e();
  const email = await e2e.createUser("editor", "Ana Oncall");
  ({ page } = await e2e.loginAs(email));
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

describe("flags overview in Chromium", () => {
  it("shows every flag with a column per environment", async () => {
    const row = page.locator("tr", { hasText: "new-checkout" });
    await row.waitFor();
    for (const env of ["development", "staging", "production"]) {
      // Polled: the header row can land a frame after the first flag row on a loaded machine.
      await expect
        .poll(() => page.getByRole("columnheader", { name: new RegExp(env, "i") }).count())
        .toBeGreaterThan(0);
    }
    // The server's summaries, not a placeholder on/off.
    await row.locator('td[data-summary="full"]').nth(2).waitFor();
    // Cells in release order: development, staging, production.
    expect(await row.locator("td").nth(0).textContent()).toContain("100% on");
    expect(await row.locator("td").nth(1).textContent()).toContain("pilot: pilot-users · 20% rollout");
    await e2e.screenshot(page, "overview");
  });

  it("shows each flag's pipeline: same setup as the environment before, or a link to promote it", async () => {
    const same = page.locator("tr", { hasText: "max-items" });
    expect(await same.locator("td").nth(1).textContent()).toContain("same setup as Development");
    expect(await same.locator("td").nth(2).textContent()).toContain("same setup as Staging");
    const differs = page.locator("tr", { hasText: "new-checkout" });
    const promote = differs.getByRole("link", { name: "Promote new-checkout from Staging to Production" });
    expect(await promote.getAttribute("href")).toBe("/release?flag=new-checkout&from=staging&to=production");
    await promote.click();
    await page.waitForURL(/\/release\?flag=new-checkout&from=staging&to=production/);
    await page.goBack();
    await page.locator("tr", { hasText: "new-checkout" }).waitFor();
  });

  it("kills a flag in production with a reason, and the audit log says who and why", async () => {
    const row = page.locator("tr", { hasText: "new-checkout" });
    await row.getByRole("button", { name: /kill.*production/i }).click();
    await page.getByLabel(/reason/i).fill("payment errors spiking");
    await e2e.screenshot(page, "kill-dialog");
    await page.getByRole("dialog").getByRole("button", { name: /kill/i }).click();
    await expect
      .poll(
        async () => (await e2e.api<{ on: boolean }>("GET", "/environments/production/flags/new-checkout")).on,
      )
      .toBe(false);
    const audit = await e2e.api<{ entries: { action: string; reason: string; actor: { name: string } }[] }>(
      "GET",
      "/audit?flag=new-checkout&environment=production",
    );
    expect(audit.entries[0]).toMatchObject({ action: "flag.kill", reason: "payment errors spiking" });
  });
});
