/**
 * A change request in real headless Chromium: in production, now requiring approval, an editor's switch
 * flip on the flag page is filed as a change request (the page says so and keeps showing what is live);
 * the requester cannot approve it, comments on it, and a second editor approves it — then it is live.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e } from "./harness.js";

let e2e: E2e;
let ana: Page;
let bo: Page;

beforeAll(async () => {
  e2e = await startE2e();
  const production = await e2e.api<{ version: number }>("GET", "/environments/production");
  await e2e.api("PATCH", "/environments/production", { requiresApproval: true, version: production.version });
  ({ page: ana } = await e2e.loginAs(await e2e.createUser("editor", "Ana Request")));
  ({ page: bo } = await e2e.loginAs(await e2e.createUser("editor", "Bo Approver")));
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

const isOn = async () =>
  (await e2e.api<{ on: boolean }>("GET", "/environments/production/flags/max-items")).on;

describe("change requests in Chromium", () => {
  it("files a flag-page change as a request; a second editor approves it and it goes live", async () => {
    expect(await isOn()).toBe(true);
    await ana.goto(`${e2e.server.url}/flags/max-items?env=production`);
    const toggle = ana.getByRole("switch", { name: "max-items on in Production" });
    await toggle.click();
    const notice = ana.getByRole("status").filter({ hasText: "was filed as change request" });
    const id = Number((await notice.textContent())?.match(/change request #(\d+)/)?.[1]);
    expect(await notice.textContent()).toContain("production requires approval");
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect(await isOn()).toBe(true);
    await e2e.screenshot(ana, "change-request-filed");

    await notice.getByRole("link", { name: `See change request #${id}` }).click();
    const own = ana.getByRole("article", { name: new RegExp(`#${id} max-items in production`) });
    await own.getByText("another editor or admin must approve it").waitFor();
    expect(await own.getByRole("button", { name: `Approve #${id}` }).count()).toBe(0);
    await own.getByLabel(`Comment on #${id}`).fill("needed for the load test at 17:00");
    await own.getByRole("button", { name: "Add comment" }).click();
    await own.getByText("needed for the load test at 17:00").waitFor();

    await bo.goto(`${e2e.server.url}/change-requests?environment=production`);
    const card = bo.getByRole("article", { name: new RegExp(`#${id} max-items in production`) });
    const diff = card.getByRole("table", { name: /live now → requested/ });
    await expect.poll(() => diff.textContent()).toMatch(/on\s*true\s*false/);
    expect(await card.textContent()).toContain("needed for the load test at 17:00");
    await card.getByLabel(`Comment on #${id}`).fill("ok for the load test");
    await e2e.screenshot(bo, "change-request-review");
    await card.getByRole("button", { name: `Approve #${id}` }).click();
    await expect.poll(isOn).toBe(false);

    const decided = bo
      .getByRole("region", { name: "Decided" })
      .getByRole("article", { name: new RegExp(`#${id}`) });
    await expect.poll(() => decided.textContent()).toContain("applied by");
    expect(await decided.textContent()).toContain("ok for the load test");
    await e2e.screenshot(bo, "change-request-approved");
  }, 90_000);
});
