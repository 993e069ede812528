/**
 * Releases in real headless Chromium: a tagged release promoted from staging to production through the
 * diff preview, asked for approval with a reason, approved by a second person with a comment that lands
 * in the gate record, then reverted (with `force`, after production was edited meanwhile); and a
 * one-flag promotion opened from a promote link and rejected with a comment.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e } from "./harness.js";

let e2e: E2e;
let ana: Page;
let bo: Page;

beforeAll(async () => {
  e2e = await startE2e();
  ({ page: ana } = await e2e.loginAs(await e2e.createUser("editor", "Ana Release")));
  ({ page: bo } = await e2e.loginAs(await e2e.createUser("editor", "Bo Approver")));
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

type Setup = { on: boolean; rules: unknown[]; fallthrough: unknown; version: number };
const setup = (env: string, flag = "new-checkout") =>
  e2e.api<Setup>("GET", `/environments/${env}/flags/${flag}`);

describe("release flow in Chromium", () => {
  it("previews a tagged release, requests approval, a second person approves with a comment, then reverts", async () => {
    const staging = await setup("staging");
    const before = await setup("production");
    expect(before.fallthrough).not.toEqual(staging.fallthrough);

    await ana.goto(`${e2e.server.url}/release`);
    await ana.getByLabel("Release tag").fill("checkout");
    await ana.getByLabel("From", { exact: true }).selectOption("staging");
    await ana.getByRole("checkbox", { name: "Production" }).check();
    await ana.getByRole("button", { name: "Preview promotion" }).click();
    const preview = ana.getByRole("region", { name: "Promotion preview" });
    await preview.getByRole("heading", { name: "new-checkout in production" }).waitFor();
    expect(await preview.locator(".preview-flag li").count()).toBeGreaterThan(0);
    await e2e.screenshot(ana, "release-preview");
    await preview.getByLabel("Reason (goes into the audit log)").fill("release 42");
    await preview.getByRole("button", { name: "Request approval" }).click();

    const done = ana.getByRole("status").filter({ hasText: /Promotion #\d+ is pending/ });
    const id = Number((await done.textContent())?.match(/#(\d+)/)?.[1]);
    const pending = ana.getByRole("row", { name: /new-checkout\): staging → production/ });
    await expect.poll(() => pending.textContent()).toContain("waiting for approval");
    await pending.getByRole("button", { name: `Review #${id}` }).click();
    const own = ana.getByRole("region", { name: `Promotion #${id}` });
    await own.getByText("another editor or admin must approve it").waitFor();
    expect(await own.getByRole("button", { name: `Approve #${id}` }).count()).toBe(0);
    expect((await setup("production")).fallthrough).toEqual(before.fallthrough);

    await bo.goto(`${e2e.server.url}/release`);
    await bo.getByRole("button", { name: `Review #${id}` }).click();
    const review = bo.getByRole("region", { name: `Promotion #${id}` });
    await review.getByRole("heading", { name: "new-checkout in production" }).waitFor();
    expect(await review.textContent()).toContain("gate: manual approval");
    expect(await review.textContent()).toContain("reason: release 42");
    await review.getByLabel("Comment").fill("checked the pilot rule and the 20% rollout");
    await e2e.screenshot(bo, "release-review");
    await review.getByRole("button", { name: `Approve #${id}` }).click();
    await expect.poll(async () => (await setup("production")).fallthrough).toEqual(staging.fallthrough);
    const record = review.getByRole("table", { name: "Gate record" });
    await expect.poll(() => record.textContent()).toContain("checked the pilot rule and the 20% rollout");
    expect(await record.textContent()).toContain("passed");
    await e2e.screenshot(bo, "release-approved");

    // Someone edits production after the promotion: the revert says so and needs `force`.
    await e2e.api("PATCH", "/environments/production/flags/new-checkout", {
      on: false,
      version: (await setup("production")).version,
    });
    await review.getByRole("button", { name: `Revert #${id}…` }).click();
    const dialog = bo.getByRole("dialog", { name: `Revert promotion #${id}?` });
    await dialog.getByRole("button", { name: `Revert #${id}` }).click();
    await dialog.getByText("Changed since the promotion.").waitFor();
    expect(await dialog.getByRole("alert").textContent()).toContain("was changed after the promotion");
    await e2e.screenshot(bo, "release-revert-conflict");
    await dialog.getByRole("button", { name: /Revert anyway/ }).click();
    await expect.poll(async () => (await setup("production")).fallthrough).toEqual(before.fallthrough);
    expect((await setup("production")).on).toBe(before.on);
  }, 120_000);

  it("opens one flag's promotion from a promote link; a second person rejects it with a comment", async () => {
    const before = await setup("production", "banner-text");
    await ana.goto(`${e2e.server.url}/release?flag=banner-text&from=staging&to=production`);
    const preview = ana.getByRole("region", { name: "Promotion preview" });
    await preview.getByRole("heading", { name: "banner-text in production" }).waitFor();
    await preview.getByRole("button", { name: "Request approval" }).click();
    const done = ana.getByRole("status").filter({ hasText: /Promotion #\d+ is pending/ });
    const id = Number((await done.textContent())?.match(/#(\d+)/)?.[1]);

    await bo.goto(`${e2e.server.url}/release`);
    await bo.getByRole("button", { name: `Review #${id}` }).click();
    const review = bo.getByRole("region", { name: `Promotion #${id}` });
    await review.getByRole("button", { name: `Reject #${id}` }).click();
    await review.getByText("Say why it is rejected.").waitFor();
    await review.getByLabel("Comment").fill("the sale banner waits for marketing's go");
    await review.getByRole("button", { name: `Reject #${id}` }).click();
    const record = review.getByRole("table", { name: "Gate record" });
    await expect.poll(() => record.textContent()).toContain("the sale banner waits for marketing's go");
    expect(await record.textContent()).toContain("rejected");
    expect((await setup("production", "banner-text")).fallthrough).toEqual(before.fallthrough);
  }, 90_000);
});
