/**
 * The shadow panel in real headless Chromium, fed by a running Node SDK: the SDK shadows a candidate that
 * disagrees on some calls, its reports reach the server, and the flag page shows the mismatch rate, both
 * latencies and the mismatches side by side; one click then moves the flag to its pilot cohort.
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

beforeAll(async () => {
  e2e = await startE2e();
  await e2e.api("POST", "/flags", {
    key: "pricing-v2",
    name: "Pricing v2",
    kind: "boolean",
    temporary: true,
  });
  await e2e.api("POST", `${flag}/dark-launch/advance`, { to: "shadow", sampleRate: 100 });
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

describe("shadow panel in Chromium", () => {
  it("shows what a running SDK reported, then moves the flag to its pilot cohort", async () => {
    for (let i = 0; i < 40; i++) {
      const total = await sdk.shadow(
        "pricing-v2",
        { targetingKey: `user-${i}` },
        {
          control: () => ({ totalCents: 1000 + i }),
          candidate: async () => ({ totalCents: i % 8 === 0 ? 999 + i : 1000 + i }),
        },
      );
      expect(total).toEqual({ totalCents: 1000 + i });
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 20));
    await sdk.flush();
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
});
