import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { fakeLayout, renderAt } from "../testing/render.js";
import { stackByHour } from "./UsageChart.js";
import { UsagePage, type UsageRow } from "./UsagePage.js";

// happy-dom lays nothing out: give the virtual table's scroll box a size.
let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = fakeLayout(1200, 600);
});
afterEach(() => {
  cleanup();
  restoreLayout();
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
    await userEvent.click(await screen.findByRole("button", { name: "Chart new-checkout" }));
    expect(await screen.findByRole("img", { name: "Evaluations per variation per hour" })).toBeTruthy();
  });

  it("virtualises: 5,000 flags render only the rows in view", async () => {
    mockApi({
      "GET /api/v1/usage": {
        json: {
          staleAfterDays: 30,
          flags: Array.from({ length: 5000 }, (_, i) => row(`flag-${String(i).padStart(4, "0")}`)),
        },
      },
    });
    renderAt(<UsagePage />, "/usage");
    await screen.findByText("0 stale of 5000 flags");
    const rendered = screen.getAllByRole("row").length - 1;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByRole("table").getAttribute("aria-rowcount")).toBe("5001");
    fireEvent.scroll(screen.getByTestId("usage-scroll"), { target: { scrollTop: 5000 * 40 - 600 } });
    await waitFor(() => expect(screen.getByRole("row", { name: /flag-4999/ })).toBeTruthy());
    expect(screen.queryByRole("row", { name: /flag-0000/ })).toBeNull();
  });
});
