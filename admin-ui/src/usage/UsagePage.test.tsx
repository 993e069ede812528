import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { stackByHour } from "./UsageChart.js";
import { UsagePage, type UsageRow } from "./UsagePage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const row = (flag: string, over: Partial<UsageRow> = {}): UsageRow => ({
  flag,
  temporary: true,
  evaluationsLast7Days: { production: 1200, staging: 30 },
  stale: false,
  why: null,
  servesEverywhere: null,
  lastEvaluated: "2026-11-25T03:00:00.000Z",
  ...over,
});

describe("stackByHour", () => {
  it("sums environments per hour and variant, hours in order", () => {
    const stacked = stackByHour([
      { environment: "production", variant: "on", hour: "2026-11-25T02:00:00.000Z", count: 5 },
      { environment: "staging", variant: "on", hour: "2026-11-25T02:00:00.000Z", count: 2 },
      { environment: "production", variant: null, hour: "2026-11-25T01:00:00.000Z", count: 1 },
    ]);
    expect(stacked.variants).toEqual(["(default)", "on"]);
    expect(stacked.hours).toEqual([
      { hour: "2026-11-25T01:00:00.000Z", counts: { "(default)": 1 } },
      { hour: "2026-11-25T02:00:00.000Z", counts: { on: 7 } },
    ]);
  });
});

describe("UsagePage", () => {
  it("lists flags with counts per environment and a stale badge that says why", async () => {
    mockApi({
      "GET /api/v1/usage": {
        json: {
          staleAfterDays: 30,
          flags: [
            row("new-checkout"),
            row("old-banner", {
              stale: true,
              why: "not evaluated for 41 days",
              evaluationsLast7Days: {},
              lastEvaluated: null,
            }),
          ],
        },
      },
    });
    renderAt(<UsagePage />, "/usage");
    const stale = await screen.findByText("stale");
    expect(stale.getAttribute("title")).toBe("not evaluated for 41 days");
    expect(screen.getByText("1 stale of 2 flags")).toBeTruthy();
    const checkout = screen.getByRole("row", { name: /new-checkout/ });
    expect(checkout.textContent).toContain("1.2K");
    expect(within(screen.getByRole("row", { name: /old-banner/ })).getByText("never")).toBeTruthy();

    await userEvent.click(screen.getByRole("checkbox", { name: /Only stale/ }));
    expect(screen.queryByRole("row", { name: /new-checkout/ })).toBeNull();
  });

  it("charts one flag's evaluations per variation", async () => {
    mockApi({
      "GET /api/v1/usage": { json: { staleAfterDays: 30, flags: [row("new-checkout")] } },
      "GET /api/v1/flags/new-checkout/usage": {
        json: {
          series: [{ environment: "production", variant: "on", hour: "2026-11-25T02:00:00.000Z", count: 5 }],
          lastEvaluated: {},
        },
      },
    });
    renderAt(<UsagePage />, "/usage");
    await userEvent.click(await screen.findByRole("button", { name: "Chart" }));
    expect(await screen.findByRole("img", { name: "Evaluations per variation per hour" })).toBeTruthy();
  });
});
