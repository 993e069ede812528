/**
 * A tagged release promoted from staging to production in real headless Chromium: the preview says what
 * production will serve afterwards, the requester asks for an approval, and a second person approves it.
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

type Setup = { rules: unknown[]; fallthrough: unknown; version: number };
const setup = (env: string) => e2e.api<Setup>("GET", `/environments/${env}/flags/new-checkout`);

describe("release flow in Chromium", () => {
  it("previews a tagged release, requests approval, and a second person approves it", async () => {
    const staging = await setup("staging");
    expect((await setup("production")).fallthrough).not.toEqual(staging.fallthrough);

    await ana.goto(`${e2e.server.url}/release`);
    await ana.getByLabel("Release tag").fill("checkout");
    await ana.getByLabel("From", { exact: true }).selectOption("staging");
    await ana.getByLabel("To", { exact: true }).selectOption("production");
    await ana.getByRole("button", { name: "Preview promotion" }).click();
    const preview = ana.getByRole("region", { name: "Promotion preview" });
    await preview.getByRole("heading", { name: "new-checkout in production" }).waitFor();
    expect(await preview.locator("li").count()).toBeGreaterThan(0);
    await e2e.screenshot(ana, "release-preview");
    await preview.getByRole("button", { name: "Request approval" }).click();

    const pending = ana.getByRole("row", { name: /new-checkout: staging → production/ });
    await expect.poll(() => pending.textContent()).toContain("waiting for approval");
    expect(await pending.getByRole("button", { name: /Approve/ }).count()).toBe(0); // not your own
    expect((await setup("production")).fallthrough).not.toEqual(staging.fallthrough);

    await bo.goto(`${e2e.server.url}/release`);
    await bo.getByRole("button", { name: /Approve #\d+/ }).click();
    await expect.poll(async () => (await setup("production")).fallthrough).toEqual(staging.fallthrough);
    await expect
      .poll(() => bo.getByRole("row", { name: /new-checkout: staging → production/ }).textContent())
      .toContain("applied");
    await e2e.screenshot(bo, "release-approved");
  });
});
