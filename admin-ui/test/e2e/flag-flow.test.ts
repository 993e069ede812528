/**
 * The admin UI's main flow in real headless Chromium against the real server: create a flag, add a rule
 * targeting the pilot segment, turn it on in staging, kill it in production with a reason and find the
 * kill in the history; then two people editing the same flag at once, where the second sees the first's
 * change instead of overwriting it.
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
  ({ page: bo } = await e2e.loginAs(await e2e.createUser("editor", "Bo Reviewer")));
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

const tab = (page: Page, env: RegExp) => page.getByRole("tab", { name: env }).click();

describe("flag lifecycle in Chromium", () => {
  it("creates a flag, targets the pilot segment in staging and turns it on", async () => {
    await ana.getByRole("button", { name: "New flag" }).click();
    await ana.getByLabel("Key").fill("pay-later");
    await ana.getByLabel("Name").fill("Pay later");
    await ana.getByRole("button", { name: "Create flag" }).click();
    await ana.waitForURL(/\/flags\/pay-later/);

    await tab(ana, /Staging/);
    await ana.getByRole("switch", { name: "pay-later on in Staging" }).check();
    await expect
      .poll(async () => (await e2e.api<{ on: boolean }>("GET", "/environments/staging/flags/pay-later")).on)
      .toBe(true);
    await ana.getByRole("button", { name: "Add rule" }).click();
    const clause = ana.getByRole("group", { name: "Rule 1 clause 1" });
    await clause.getByLabel("Operator").selectOption("segmentMatch");
    await clause.getByLabel("Segment").selectOption("pilot-users");
    await ana.getByLabel("Rule 1: serve").selectOption("on");
    await ana.getByLabel("Default rule: serve").selectOption("off");
    await ana.getByLabel(/User context/).fill('{ "targetingKey": "user-alice" }');
    await expect
      .poll(() => ana.locator(".preview-result").textContent())
      .toContain("matched rule 1: in segment pilot-users");
    // The rule being edited and, at the bottom of the screen, the preview's answer.
    await ana.getByRole("region", { name: "Preview" }).evaluate((el) => el.scrollIntoView({ block: "end" }));
    await e2e.screenshot(ana, "flag-page-editing");

    await ana.getByRole("button", { name: "Review and save" }).click();
    await expect
      .poll(() => ana.getByRole("table", { name: /Changes to pay-later in staging/ }).textContent())
      .toContain("rules");
    await e2e.screenshot(ana, "save-diff");
    await ana.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await expect
      .poll(
        async () =>
          (await e2e.api<{ rules: unknown[] }>("GET", "/environments/staging/flags/pay-later")).rules.length,
      )
      .toBe(1);

    await ana.getByRole("switch", { name: "pay-later on in Staging" }).check();
    await expect
      .poll(async () => (await e2e.api<{ on: boolean }>("GET", "/environments/staging/flags/pay-later")).on)
      .toBe(true);
  });

  it("kills it in production with a reason, and the history shows who and why", async () => {
    await e2e.api("PATCH", "/environments/production/flags/pay-later", { on: true, version: 1 });
    await tab(ana, /Production/);
    await expect
      .poll(() => ana.getByRole("switch", { name: "pay-later on in Production" }).isChecked())
      .toBe(true);
    // The kill switch is there to be seen: full opacity, not the overview's hover-only style.
    const kill = ana.getByRole("button", { name: "Kill in Production" });
    expect(await kill.evaluate((el) => getComputedStyle(el).opacity)).toBe("1");
    expect(await kill.evaluate((el) => getComputedStyle(el).visibility)).toBe("visible");
    expect((await kill.boundingBox())?.height ?? 0).toBeGreaterThan(20);
    await e2e.screenshot(ana, "flag-page");
    await kill.click();
    await ana.getByLabel(/Reason/).fill("checkout errors after deploy");
    await ana
      .getByRole("dialog")
      .getByRole("button", { name: /Kill in Production/ })
      .click();
    await expect
      .poll(
        async () => (await e2e.api<{ on: boolean }>("GET", "/environments/production/flags/pay-later")).on,
      )
      .toBe(false);

    await ana.locator(".page-actions").getByRole("link", { name: "History" }).click();
    await expect.poll(() => ana.url()).toContain("/history?flag=pay-later");
    const entry = ana.locator("li.audit-item", { hasText: "killed pay-later in production" });
    await entry.waitFor();
    expect(await entry.textContent()).toContain("checkout errors after deploy");
    await e2e.screenshot(ana, "history");
  });

  it("two people edit the same flag: the second sees the first's change, nothing is overwritten", async () => {
    await ana.goto(`${e2e.server.url}/flags/pay-later?env=development`);
    await bo.goto(`${e2e.server.url}/flags/pay-later?env=development`);
    await ana.getByLabel("Default rule: serve").selectOption("off");
    await bo.getByLabel("When off, serve").selectOption("on");

    await ana.getByRole("button", { name: "Review and save" }).click();
    await ana.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await expect
      .poll(
        async () =>
          (
            await e2e.api<{ fallthrough: { variation?: string } }>(
              "GET",
              "/environments/development/flags/pay-later",
            )
          ).fallthrough.variation,
      )
      .toBe("off");

    await bo.getByRole("button", { name: "Review and save" }).click();
    await bo.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await bo.getByText("Someone else changed this flag").waitFor();
    expect(await bo.getByRole("table", { name: "Their change" }).textContent()).toContain(
      "fallthrough.variation",
    );
    await e2e.screenshot(bo, "conflict");
    const state = await e2e.api<{ offVariation: string; fallthrough: { variation?: string } }>(
      "GET",
      "/environments/development/flags/pay-later",
    );
    expect(state).toMatchObject({ offVariation: "off", fallthrough: { variation: "off" } });
  });
});
