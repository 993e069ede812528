import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { cell, overviewAnswer, overviewRoute, type TestFlag } from "../testing/overview.js";
import { renderApp } from "../testing/render.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const environment = (key: string, sortOrder: number) => ({
  key,
  name: key === "production" ? "Production" : "Staging",
  sortOrder,
  color: null,
  corsOrigins: [],
  requiresApproval: false,
  rulesetVersion: 7,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
});
const flag = (key: string, tags: string[], on: boolean): TestFlag => ({
  key,
  tags,
  cells: { staging: cell("100% on"), production: on ? cell("100% on") : cell("off → false") },
});
const delivery = {
  environment: "production",
  version: 8,
  committedAt: "2026-01-01T00:00:00.000Z",
  instances: { total: 2, acknowledged: 2, pending: [] },
  latencyMs: { median: 30, p95: 45, max: 45 },
};

function seed() {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ada@example.com", role: "editor" } },
    "GET /api/v1/environments": {
      json: { environments: [environment("staging", 1), environment("production", 2)] },
    },
    "GET /api/v1/overview": overviewRoute(
      overviewAnswer(
        ["staging", "production"],
        [
          flag("new-checkout", ["checkout"], true),
          flag("checkout-banner", ["checkout"], true),
          flag("old-checkout", ["checkout"], false),
          flag("dark-mode", ["ui"], true),
        ],
      ),
    ),
    "GET /api/v1/audit": ({ search }) => {
      const action = new URLSearchParams(search).get("action");
      const entries =
        action === "flag.kill"
          ? [
              {
                id: 3,
                at: "2026-01-02T10:00:00.000Z",
                actor: { type: "user", id: "2", name: "bob@example.com" },
                action: "flag.kill",
                target: { type: "flag_state", key: "dark-mode" },
                environment: "production",
                flag: "dark-mode",
                reason: "contrast bug",
                before: null,
                after: null,
              },
            ]
          : [];
      return new Response(JSON.stringify({ entries, nextCursor: null }), {
        headers: { "content-type": "application/json" },
      });
    },
    "GET /api/v1/environments/production/delivery": { json: delivery },
    "POST /api/v1/environments/production/incident": {
      json: {
        killed: [{ flag: "new-checkout" }, { flag: "checkout-banner" }],
        rulesetVersions: { production: 8 },
      },
    },
  });
}

describe("incident mode", () => {
  it("kills every flag with a tag in the chosen environment after a confirmation", async () => {
    const api = seed();
    renderApp("/incident");
    await screen.findByRole("heading", { name: "Incident mode" });
    const user = userEvent.setup();
    await waitFor(() =>
      expect((screen.getByRole("combobox", { name: "Environment" }) as HTMLSelectElement).value).toBe(
        "production",
      ),
    );
    await user.click(screen.getByRole("button", { name: /Kill flags tagged/ }));
    expect(screen.getByText("Choose the tag of the flags to kill.")).toBeTruthy();
    expect(screen.getByText("An incident needs a reason.")).toBeTruthy();

    await user.selectOptions(screen.getByRole("combobox", { name: "Tag" }), "checkout");
    expect(screen.getByText(/Turns off 2 flags on in Production/)).toBeTruthy();
    await user.type(screen.getByRole("textbox", { name: "Reason" }), "payments outage");
    await user.click(screen.getByRole("button", { name: "Kill flags tagged checkout in Production" }));
    const dialog = screen.getByRole("dialog", { name: "Kill every flag tagged checkout in Production?" });
    await user.click(within(dialog).getByRole("button", { name: "Kill them now" }));

    const result = await screen.findByRole("status", { name: "Incident result" });
    expect(within(result).getByText("Killed 2 flags tagged checkout.")).toBeTruthy();
    await within(result).findByText(/Applied by all 2 connected SDK instances/);
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      tag: "checkout",
      reason: "payments outage",
    });
  });

  it("lists what was killed, by whom and why, and whether it is back on", async () => {
    seed();
    renderApp("/incident");
    const list = await screen.findByRole("region", { name: "Killed recently" });
    const row = (await within(list).findByText("contrast bug")).closest("tr") as HTMLElement;
    expect(within(row).getByText("bob@example.com")).toBeTruthy();
    expect(within(row).getByRole("link", { name: "dark-mode" }).getAttribute("href")).toBe(
      "/flags/dark-mode",
    );
    expect(within(row).getByText("back on: dark-mode")).toBeTruthy();
  });
});
