/**
 * The shadow panel in real headless Chromium, fed by a running Node SDK: the SDK shadows a candidate that
 * disagrees on some calls, its reports reach the server, and the flag page shows the mismatch rate, both
 * latencies and the mismatches side by side; one click then moves the flag to its pilot cohort. A guard
 * tripped by the SDK's mismatches shows in the panel, blocks the move, and is re-armed there.
 */
import { createClient, type SwitchyardClient } from "@switchyard/sdk-node";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e } from "./harness.js";

let e2e: E2e;
let page: Page;
let sdk: SwitchyardClient;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const flag = "/environments/production/flags/pricing-v2";
const guarded = "/environments/production/flags/pricing-v3";

beforeAll(async () => {
  e2e = await startE2e();
  for (const [key, path] of [
    ["pricing-v2", flag],
    ["pricing-v3", guarded],
  ] as const) {
    await e2e.api("POST", "/flags", { key, name: key, kind: "boolean", temporary: true });
    await e2e.api("POST", `${path}/dark-launch/advance`, { to: "shadow", sampleRate: 100 });
  }
  await e2e.api("PUT", `${guarded}/guards`, {
    guards: [{ metric: "mismatch_rate", limit: 0.01, action: "kill" }],
  });
  const { secret } = await e2e.api<{ secret: string }>("POST", "/keys", {
    name: "pricing service",
    kind: "server",
    environment: "production",
  });
  sdk = createClient({ url: e2e.server.url, sdkKey: secret, logger: silent, flushIntervalMs: 60_000 });
  await sdk.ready({ timeout: 10_000 });
  ({ page } = await e2e.loginAs(await e2e.createUser("editor", "Ana Shadow")));
}, 60_000);
afterAll(async () => {
  await sdk?.close();
  await e2e?.close();
});

/** Shadows `calls` calls of `key` through the SDK (the candidate answering `candidate(i)`) and ships the report. */
async function shadowCalls(key: string, calls: number, candidate: (i: number) => number) {
  for (let i = 0; i < calls; i++) {
    const total = await sdk.shadow(
      key,
      { targetingKey: `user-${i}` },
      { control: () => ({ totalCents: 1000 + i }), candidate: async () => ({ totalCents: candidate(i) }) },
    );
    expect(total).toEqual({ totalCents: 1000 + i });
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 20));
  await sdk.flush();
}

describe("shadow panel in Chromium", () => {
  it("shows what a running SDK reported, then moves the flag to its pilot cohort", async () => {
    await shadowCalls("pricing-v2", 40, (i) => (i % 8 === 0 ? 999 + i : 1000 + i));
    await expect
      .poll(
        async () =>
          (await e2e.api<{ totals: { shadowed: number } }>("GET", `${flag}/shadow`)).totals.shadowed,
      )
      .toBe(40);

    await page.goto(`${e2e.server.url}/flags/pricing-v2?env=production`);
    const panel = page.getByRole("region", { name: "Dark launch" });
    await panel.locator(".shadow-figures").getByText("12.5%").waitFor();
    expect(
      await panel
        .getByRole("list", { name: "Dark-launch path" })
        .locator('[aria-current="step"]')
        .textContent(),
    ).toContain("Shadow");
    const samples = panel.getByRole("table", { name: "Sampled mismatches" });
    expect(await samples.textContent()).toContain('"totalCents": 1000');
    expect(await samples.textContent()).toContain('"totalCents": 999');
    await panel.scrollIntoViewIfNeeded();
    await e2e.screenshot(page, "shadow-panel");

    await panel.getByLabel("Pilot cohort").selectOption("pilot-users");
    await panel.getByRole("button", { name: "Move to pilot cohort" }).click();
    await expect
      .poll(async () => (await e2e.api<{ step: string }>("GET", `${flag}/dark-launch`)).step)
      .toBe("pilot");
    await expect
      .poll(() =>
        panel.getByRole("list", { name: "Dark-launch path" }).locator('[aria-current="step"]').textContent(),
      )
      .toContain("Pilot cohort");
  });

  it("shows a guard's trip, blocks the next move until the guard is re-armed there", async () => {
    await shadowCalls("pricing-v3", 300, (i) => i);
    await expect
      .poll(
        async () =>
          (await e2e.api<{ guards: { status: string }[] }>("GET", `${guarded}/guards`)).guards[0]?.status,
        {
          timeout: 10_000,
        },
      )
      .toBe("tripped");

    await page.goto(`${e2e.server.url}/flags/pricing-v3?env=production`);
    const panel = page.getByRole("region", { name: "Dark launch" });
    const trip = panel.getByRole("alert").filter({ hasText: "A guard has tripped" });
    await trip.waitFor();
    expect(await trip.textContent()).toMatch(/compared calls differed .* the flag was killed/);
    expect(await panel.getByRole("button", { name: /^Move to/ }).count()).toBe(0);
    const row = panel.getByRole("row", { name: "Mismatch rate" });
    expect(await row.textContent()).toContain("tripped");
    await page.getByRole("heading", { name: "Dark launch" }).evaluate((h) => h.scrollIntoView());
    await e2e.screenshot(page, "guard-tripped");

    const rearm = panel.getByRole("form", { name: "Re-arm the mismatch rate guard" });
    await rearm.getByLabel("Why re-arm").fill("candidate rounding fixed");
    await rearm.getByRole("button", { name: "Re-arm" }).click();
    await panel
      .getByRole("button", { name: /^Move to/ })
      .first()
      .waitFor();
    await expect.poll(() => row.textContent()).not.toContain("tripped");
    const audit = await e2e.api<{ entries: { reason: string | null }[] }>(
      "GET",
      "/audit?flag=pricing-v3&action=guard.rearm",
    );
    expect(audit.entries[0]?.reason).toBe("candidate rounding fixed");
  });
});
