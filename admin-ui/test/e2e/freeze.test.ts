/**
 * A change freeze in real headless Chromium: an admin freezes production with a reason and an end time
 * on the freezes screen; the banner shows it on every screen; an editor's save there is refused with the
 * server's message while a kill still goes through; an admin writes through with an override reason;
 * lifting the freeze clears the banner.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e } from "./harness.js";

let e2e: E2e;
let ada: Page;
let ana: Page;

beforeAll(async () => {
  e2e = await startE2e();
  ({ page: ada } = await e2e.loginAs(await e2e.createUser("admin", "Ada Admin")));
  ({ page: ana } = await e2e.loginAs(await e2e.createUser("editor", "Ana Editor")));
}, 60_000);
afterAll(async () => {
  await e2e?.close();
});

type State = { on: boolean; fallthrough: unknown };
const state = (flag: string) => e2e.api<State>("GET", `/environments/production/flags/${flag}`);

describe("change freezes in Chromium", () => {
  it("refuses a save during a freeze while a kill still works, and lets an admin override", async () => {
    expect((await state("new-checkout")).on).toBe(true);

    await ada.goto(`${e2e.server.url}/freezes`);
    await ada.getByRole("button", { name: "Freeze Production" }).click();
    const form = ada.getByRole("form", { name: "Freeze Production" });
    await form.getByLabel("Reason").fill("Black Friday");
    await form.getByRole("button", { name: "Freeze", exact: true }).click();
    const row = ada.getByRole("row", { name: "Production" });
    await expect.poll(() => row.textContent()).toContain("Black Friday");
    const banner = ada.getByRole("status").filter({ hasText: "production is frozen" });
    await expect.poll(() => banner.textContent()).toContain("Black Friday");
    await e2e.screenshot(ada, "freeze-set");

    // The editor's flag page: the banner, then a refused switch flip with the server's reason.
    await ana.goto(`${e2e.server.url}/flags/new-checkout?env=production`);
    const anaBanner = ana.getByRole("status").filter({ hasText: "production is frozen" });
    expect(await anaBanner.textContent()).toMatch(/until .*: Black Friday/);
    const toggle = ana.getByRole("switch", { name: "new-checkout on in Production" });
    await toggle.click();
    const refused = ana.getByRole("alert").filter({ hasText: "production is frozen" });
    expect(await refused.textContent()).toContain("(Black Friday)");
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect((await state("new-checkout")).on).toBe(true);
    await e2e.screenshot(ana, "freeze-refused");

    // Kills do not wait for the freeze.
    await ana.getByRole("button", { name: "Kill in Production" }).click();
    const kill = ana.getByRole("dialog", { name: "Kill new-checkout in Production?" });
    await kill.getByLabel("Reason").fill("checkout errors during the freeze");
    await kill.getByRole("button", { name: "Kill in Production" }).click();
    await expect.poll(async () => (await state("new-checkout")).on).toBe(false);

    // An admin writes through with a reason: a one-flag promotion into the frozen environment.
    const before = await state("banner-text");
    await ada.goto(`${e2e.server.url}/release?flag=banner-text&from=staging&to=production`);
    const preview = ada.getByRole("region", { name: "Promotion preview" });
    await preview.getByRole("button", { name: "Promote now" }).click();
    const frozen = preview.getByRole("alert").filter({ hasText: "Environment frozen" });
    await frozen.waitFor();
    expect((await state("banner-text")).fallthrough).toEqual(before.fallthrough);
    await frozen.getByLabel("Override reason").fill("legal notice must ship today");
    await frozen.getByRole("button", { name: "Override the freeze" }).click();
    await ada
      .getByRole("status")
      .filter({ hasText: /Promotion #\d+ applied/ })
      .waitFor();
    expect((await state("banner-text")).fallthrough).not.toEqual(before.fallthrough);
    const audit = await e2e.api<{ entries: { action: string; reason: string | null }[] }>(
      "GET",
      "/audit?action=promotion.apply&limit=5",
    );
    expect(audit.entries[0]?.reason).toContain("[freeze override: legal notice must ship today]");

    await ada.goto(`${e2e.server.url}/freezes`);
    await ada.getByRole("button", { name: "Lift freeze of Production" }).click();
    await expect
      .poll(() => ada.getByRole("row", { name: "Production" }).textContent())
      .toContain("Not frozen");
    await expect.poll(() => ada.getByRole("status").filter({ hasText: "is frozen" }).count()).toBe(0);
  }, 120_000);
});
