import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Environment, FlagState } from "../api/types.js";
import { mockApi } from "../testing/mock-api.js";
import { cell, overviewAnswer, overviewRoute, type TestFlag } from "../testing/overview.js";
import { fakeLayout, renderApp } from "../testing/render.js";

const env = (key: string, sortOrder: number, rulesetVersion = 1): Environment => ({
  key,
  name: key[0]?.toUpperCase() + key.slice(1),
  sortOrder,
  color: null,
  corsOrigins: [],
  requiresApproval: false,
  rulesetVersion,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
});

const state = (flagKey: string, environment: string, fields: Partial<FlagState> = {}): FlagState => ({
  flag: flagKey,
  environment,
  on: false,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "on" },
  prerequisites: [],
  shadow: null,
  version: 1,
  updatedAt: "2026-01-01T00:00:00.000Z",
  updatedBy: null,
  ...fields,
});

const OFF = cell("off → false", { setup: "off" });
const FLAGS: TestFlag[] = [
  {
    key: "new-checkout",
    name: "New checkout",
    tags: ["checkout"],
    owner: "payments-team",
    cells: {
      staging: cell("pilot: beta-testers · 20% rollout", { segments: ["beta-testers"] }),
      production: cell("100% on"),
    },
  },
  { key: "search-ranking", tags: ["search"], owner: "search-team", cells: { staging: OFF, production: OFF } },
  { key: "dark-mode", tags: ["ui"], cells: { staging: cell("100% on"), production: cell("100% on") } },
];
const ENVS = ["staging", "production"];

function seed(flags = FLAGS) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ada@example.com", role: "editor" } },
    "GET /api/v1/environments": { json: { environments: [env("production", 2), env("staging", 1)] } },
    "GET /api/v1/overview": overviewRoute(overviewAnswer(ENVS, flags)),
  });
}

let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = fakeLayout();
});
afterEach(() => {
  cleanup();
  restoreLayout();
  vi.unstubAllGlobals();
});

const rowNames = () =>
  screen
    .getAllByRole("row")
    .slice(1)
    .map((row) => row.id.replace("flag-row-", ""));

describe("the flags overview", () => {
  it("shows every flag with what it serves in each environment, in release order", async () => {
    seed();
    renderApp("/flags");
    const grid = await screen.findByRole("grid", { name: "Flags by environment" });
    await within(grid).findByText("pilot: beta-testers · 20% rollout");
    expect(
      within(grid)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Flag", "Staging", "Production"]);
    expect(rowNames()).toEqual(["new-checkout", "search-ranking", "dark-mode"]);
    const checkout = document.getElementById("flag-row-new-checkout") as HTMLElement;
    expect(within(checkout).getByText("100% on")).toBeTruthy();
    const ranking = document.getElementById("flag-row-search-ranking") as HTMLElement;
    expect(within(ranking).getAllByText("off → false")).toHaveLength(2);
    expect(screen.getByText("3 of 3 flags")).toBeTruthy();
  });

  it("sends a logged-out visitor to the login page and back afterwards", async () => {
    const api = seed();
    api.routes["GET /api/v1/auth/me"] = { status: 401, problem: { title: "Unauthorized", detail: "Log in" } };
    const { location } = renderApp("/flags?tag=ui");
    await screen.findByRole("heading", { name: "Log in to Switchyard" });
    expect(location.history.at(-1)).toBe(`/login?next=${encodeURIComponent("/flags?tag=ui")}`);
  });

  it("searches and filters, keeping the filter in the URL", async () => {
    seed();
    const { location } = renderApp("/flags");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    const user = userEvent.setup();
    await user.type(screen.getByRole("searchbox", { name: "Search" }), "check");
    expect(rowNames()).toEqual(["new-checkout"]);
    expect(location.history.at(-1)).toBe("/flags?q=check");
    expect(screen.getByText("1 of 3 flags")).toBeTruthy();

    await user.clear(screen.getByRole("searchbox", { name: "Search" }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Tag" }), "search");
    expect(rowNames()).toEqual(["search-ranking"]);

    await user.selectOptions(screen.getByRole("combobox", { name: "Tag" }), "");
    await user.selectOptions(screen.getByRole("combobox", { name: "State" }), "on:production");
    expect(rowNames()).toEqual(["new-checkout", "dark-mode"]);

    await user.selectOptions(screen.getByRole("combobox", { name: "Owner" }), "search-team");
    expect(screen.queryAllByRole("row")).toHaveLength(1);
    await user.click(screen.getByRole("button", { name: "Clear the filters" }));
    expect(rowNames()).toHaveLength(3);
  });

  it("reads filters from the URL", async () => {
    seed();
    renderApp("/flags?owner=payments-team");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    expect(rowNames()).toEqual(["new-checkout"]);
  });

  it("moves with the arrow keys and opens the highlighted flag with Enter", async () => {
    seed();
    const { location } = renderApp("/flags");
    const grid = await screen.findByRole("grid");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    act(() => grid.focus());
    expect(grid.getAttribute("aria-activedescendant")).toBe("flag-row-new-checkout");
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    expect(grid.getAttribute("aria-activedescendant")).toBe("flag-row-dark-mode");
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    expect(grid.getAttribute("aria-activedescendant")).toBe("flag-row-dark-mode");
    fireEvent.keyDown(grid, { key: "ArrowUp" });
    expect(grid.getAttribute("aria-activedescendant")).toBe("flag-row-search-ranking");
    expect(document.getElementById("flag-row-search-ranking")?.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(grid, { key: "Home" });
    expect(grid.getAttribute("aria-activedescendant")).toBe("flag-row-new-checkout");
    fireEvent.keyDown(grid, { key: "End" });
    fireEvent.keyDown(grid, { key: "Enter" });
    expect(location.history.at(-1)).toBe("/flags/dark-mode");
  });

  it("jumps from the search box into the list with the down arrow, and to search with /", async () => {
    seed();
    renderApp("/flags");
    const grid = await screen.findByRole("grid");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    const search = screen.getByRole("searchbox", { name: "Search" });
    fireEvent.keyDown(search, { key: "ArrowDown" });
    expect(document.activeElement).toBe(grid);
    fireEvent.keyDown(grid, { key: "/" });
    expect(document.activeElement).toBe(search);
  });

  it("kills a flag in one environment after asking for a reason", async () => {
    const api = seed();
    api.routes["POST /api/v1/environments/production/flags/dark-mode/kill"] = () =>
      new Response(
        JSON.stringify({
          state: state("dark-mode", "production", { on: false, version: 2 }),
          version: 2,
          rulesetVersions: { production: 2 },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    api.routes["GET /api/v1/environments/production/delivery"] = ({ search }) =>
      new Response(
        JSON.stringify({
          environment: "production",
          version: Number(new URLSearchParams(search).get("version")),
          committedAt: "2026-01-01T00:00:00.000Z",
          instances: {
            total: 3,
            acknowledged: 2,
            pending: [
              { instanceId: "web-7", sdk: "node/1.0", version: 1, lastSeenAt: "2026-01-01T00:00:00.000Z" },
            ],
          },
          latencyMs: { median: 40, p95: 90, max: 90 },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    renderApp("/flags");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Kill dark-mode in Production" }));
    const dialog = screen.getByRole("dialog", { name: "Kill dark-mode in Production?" });
    await user.click(within(dialog).getByRole("button", { name: "Kill in Production" }));
    expect(within(dialog).getByText("A kill needs a reason.")).toBeTruthy();
    expect(api.calls.some((c) => c.method === "POST")).toBe(false);

    const killed = FLAGS.map((f) =>
      f.key === "dark-mode" ? { ...f, cells: { ...f.cells, production: OFF } } : f,
    );
    api.routes["GET /api/v1/overview"] = overviewRoute(overviewAnswer(ENVS, killed), 'W/"ov-2"');
    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "errors spiking");
    await user.click(within(dialog).getByRole("button", { name: "Kill in Production" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ reason: "errors spiking" });
    const row = document.getElementById("flag-row-dark-mode") as HTMLElement;
    // Off at once, then the server's summary, fetched without the ETag of the answer before the kill.
    expect(within(row).queryByRole("button", { name: "Kill dark-mode in Production" })).toBeNull();
    await waitFor(() => expect(within(row).getByText("off → false")).toBeTruthy());
    expect(row.querySelectorAll('[data-summary="full"]')).toHaveLength(2);
    const lastOverview = api.calls.filter((c) => c.path === "/api/v1/overview").at(-1);
    expect(lastOverview?.headers.get("if-none-match")).toBeNull();
    expect(screen.getByRole("status").textContent).toBe("dark-mode killed in Production.");
    // Then its delivery, for the ruleset version the kill produced.
    const notice = screen.getByRole("region", { name: "Kill of dark-mode in Production" });
    await within(notice).findByText(/Applied by 2 of 3 connected SDK instances/);
    expect(api.calls.find((c) => c.path.endsWith("/delivery"))?.search).toBe("?version=2");
    expect(within(notice).getByText("web-7")).toBeTruthy();
  });

  it("shows the server's message next to the reason when the kill is refused", async () => {
    const api = seed();
    api.routes["POST /api/v1/environments/staging/flags/dark-mode/kill"] = {
      status: 400,
      problem: {
        title: "Invalid request",
        detail: "Invalid body",
        errors: [{ path: "reason", message: "too long" }],
      },
    };
    renderApp("/flags");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Kill dark-mode in Staging" }));
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "x");
    await user.click(within(dialog).getByRole("button", { name: "Kill in Staging" }));
    await within(dialog).findByText("too long");
    expect(within(dialog).getByRole("textbox", { name: "Reason" }).getAttribute("aria-invalid")).toBe("true");
  });

  it("hides kill buttons from viewers", async () => {
    const api = seed();
    api.routes["GET /api/v1/auth/me"] = {
      json: { type: "user", id: "2", name: "v@example.com", role: "viewer" },
    };
    renderApp("/flags");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    expect(screen.queryAllByRole("button", { name: /^Kill / })).toHaveLength(0);
  });

  it("picks up another person's change on the next poll, and asks with its ETag", async () => {
    const api = seed();
    const { client } = renderApp("/flags");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    const overviewCalls = () => api.calls.filter((c) => c.path === "/api/v1/overview");
    // Nothing changed: a 304, and the rows stay as they are.
    await act(() => client.refetchQueries({ queryKey: ["overview"] }));
    expect(overviewCalls().at(-1)?.headers.get("if-none-match")).toBe('W/"ov-1"');
    expect(screen.getByText("pilot: beta-testers · 20% rollout")).toBeTruthy();

    const changed = FLAGS.map((f) =>
      f.key === "search-ranking" ? { ...f, cells: { ...f.cells, production: cell("100% on") } } : f,
    );
    api.routes["GET /api/v1/overview"] = overviewRoute(overviewAnswer(ENVS, changed), 'W/"ov-2"');
    api.routes["GET /api/v1/environments"] = {
      json: { environments: [env("production", 2, 2), env("staging", 1)] },
    };
    await act(() => client.refetchQueries({ queryKey: ["environments"], exact: true }));
    const ranking = document.getElementById("flag-row-search-ranking") as HTMLElement;
    await waitFor(() => expect(within(ranking).getByText("100% on")).toBeTruthy());
    // Neither the full flag list nor any environment's state list is downloaded.
    expect(api.calls.filter((c) => /\/flags$/.test(c.path))).toEqual([]);
  });

  it("shows each flag's pipeline: the same setup as the environment before, or a promote link", async () => {
    const same = cell("100% on", { setup: "same" });
    seed([
      { key: "in-sync", cells: { staging: same, production: same } },
      { key: "behind", cells: { staging: cell("100% on", { setup: "new" }), production: OFF } },
    ]);
    renderApp("/flags");
    await screen.findByText("2 of 2 flags");
    const inSync = document.getElementById("flag-row-in-sync") as HTMLElement;
    expect(within(inSync).getByText("same setup as")).toBeTruthy();
    expect(within(inSync).queryByRole("link", { name: /Promote/ })).toBeNull();
    const behind = document.getElementById("flag-row-behind") as HTMLElement;
    expect(within(behind).getByText("differs from")).toBeTruthy();
    const promote = within(behind).getByRole("link", { name: "Promote behind from Staging to Production" });
    expect(promote.getAttribute("href")).toBe("/release?flag=behind&from=staging&to=production");
  });

  it("virtualises: 5,000 flags render only the rows in view", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({
      key: `flag-${String(i).padStart(4, "0")}`,
      cells: { staging: OFF, production: OFF },
    }));
    seed(many);
    renderApp("/flags");
    await screen.findByText("5000 of 5000 flags");
    const rows = screen.getAllByRole("row").length - 1;
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(60);
    const grid = screen.getByRole("grid");
    expect(grid.getAttribute("aria-rowcount")).toBe("5001");
    fireEvent.keyDown(grid, { key: "End" });
    expect(grid.getAttribute("aria-activedescendant")).toBe("flag-row-flag-4999");
    // happy-dom does not scroll; tell the list it was scrolled to the end, as the browser would.
    fireEvent.scroll(screen.getByTestId("flag-grid-scroll"), { target: { scrollTop: 5000 * 56 - 800 } });
    await waitFor(() => expect(document.getElementById("flag-row-flag-4999")).toBeTruthy());
    expect(document.getElementById("flag-row-flag-0000")).toBeNull();
  });
});
