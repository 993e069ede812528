import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockApi } from "../testing/mock-api.js";
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
const kill = (id: number, flag: string, environment: string, rulesetVersion: number, reason: string) => ({
  id,
  at: `2026-01-0${id}T10:00:00.000Z`,
  actor: { type: "user", id: "2", name: "bob@example.com" },
  action: "flag.kill",
  environment,
  tag: null,
  flags: [flag],
  reason,
  rulesetVersion,
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
    "GET /api/v1/overview/kills": ({ search }) =>
      jsonResponse(
        new URLSearchParams(search).get("before") === "3"
          ? { kills: [kill(2, "new-checkout", "staging", 4, "old news")], nextBefore: null }
          : { kills: [kill(3, "dark-mode", "production", 8, "contrast bug")], nextBefore: 3 },
      ),
    "GET /api/v1/environments/staging/delivery": {
      json: {
        ...delivery,
        environment: "staging",
        version: 4,
        instances: { total: 0, acknowledged: 0, pending: [] },
      },
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

  it("says per kill whether every connected SDK has the version it produced", async () => {
    const api = seed();
    api.routes["GET /api/v1/environments/production/delivery"] = {
      json: {
        ...delivery,
        version: 8,
        instances: {
          total: 3,
          acknowledged: 1,
          pending: [
            { instanceId: "web-1", sdk: "node", version: 8 - 1, lastSeenAt: "2026-01-01T00:00:00.000Z" },
            { instanceId: "web-2", sdk: "node", version: null, lastSeenAt: "2026-01-01T00:00:00.000Z" },
          ],
        },
      },
    };
    renderApp("/incident");
    const list = await screen.findByRole("region", { name: "Killed recently" });
    const row = (await within(list).findByText("contrast bug")).closest("tr") as HTMLElement;
    expect(await within(row).findByText("1 of 3 instances")).toBeTruthy();
    expect(api.calls.find((c) => c.path.endsWith("/production/delivery"))?.search).toBe("?version=8");
  });

  it("pages beyond the first 50 kills", async () => {
    seed();
    renderApp("/incident");
    const list = await screen.findByRole("region", { name: "Killed recently" });
    await within(list).findByText("contrast bug");
    expect(within(list).queryByText("old news")).toBeNull();
    await userEvent.click(within(list).getByRole("button", { name: "Show older kills" }));
    const older = (await within(list).findByText("old news")).closest("tr") as HTMLElement;
    expect(await within(older).findByText("no SDK connected")).toBeTruthy();
    expect(within(list).queryByRole("button", { name: "Show older kills" })).toBeNull();
  });
});
