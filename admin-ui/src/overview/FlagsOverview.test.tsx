import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Environment, FlagState, FlagSummary } from "../api/types.js";
import { mockApi } from "../testing/mock-api.js";
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

const booleanVariations = [
  { key: "on", value: true },
  { key: "off", value: false },
];

const flag = (key: string, fields: Partial<FlagSummary> = {}): FlagSummary => ({
  key,
  name: key,
  description: "",
  kind: "boolean",
  variations: booleanVariations,
  tags: [],
  owner: null,
  temporary: false,
  clientVisible: false,
  archived: false,
  archivedAt: null,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  states: {},
  ...fields,
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

const FLAGS = [
  flag("new-checkout", { name: "New checkout", tags: ["checkout"], owner: "payments-team" }),
  flag("search-ranking", { tags: ["search"], owner: "search-team" }),
  flag("dark-mode", { tags: ["ui"] }),
];

function seed() {
  const staging = [
    state("new-checkout", "staging", {
      on: true,
      rules: [
        {
          id: "pilot",
          clauses: [{ attribute: "", op: "segmentMatch", values: ["beta-testers"] }],
          serve: { variation: "on" },
        },
      ],
      fallthrough: {
        rollout: {
          weights: [
            { variation: "on", weight: 20_000 },
            { variation: "off", weight: 80_000 },
          ],
        },
      },
    }),
    state("search-ranking", "staging"),
    state("dark-mode", "staging", { on: true }),
  ];
  const production = [
    state("new-checkout", "production", { on: true }),
    state("search-ranking", "production"),
    state("dark-mode", "production", { on: true }),
  ];
  const withStates = FLAGS.map((f) => ({
    ...f,
    states: {
      staging: { on: staging.find((s) => s.flag === f.key)?.on ?? false, version: 1 },
      production: { on: production.find((s) => s.flag === f.key)?.on ?? false, version: 1 },
    },
  }));
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ada@example.com", role: "editor" } },
    "GET /api/v1/environments": { json: { environments: [env("production", 2), env("staging", 1)] } },
    "GET /api/v1/flags": { json: { flags: withStates } },
    "GET /api/v1/environments/staging/flags": { json: { states: staging } },
    "GET /api/v1/environments/production/flags": { json: { states: production } },
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

    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "errors spiking");
    await user.click(within(dialog).getByRole("button", { name: "Kill in Production" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ reason: "errors spiking" });
    const row = document.getElementById("flag-row-dark-mode") as HTMLElement;
    expect(within(row).getByText("off → false")).toBeTruthy();
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

  it("picks up another person's change on the next poll", async () => {
    const api = seed();
    const { client } = renderApp("/flags");
    await screen.findByText("pilot: beta-testers · 20% rollout");
    const production = [
      state("new-checkout", "production", { on: false }),
      state("search-ranking", "production", { on: true }),
      state("dark-mode", "production", { on: true }),
    ];
    api.routes["GET /api/v1/environments/production/flags"] = { json: { states: production } };
    api.routes["GET /api/v1/environments"] = {
      json: { environments: [env("production", 2, 2), env("staging", 1)] },
    };
    const stagingFetches = () =>
      api.calls.filter((c) => c.path === "/api/v1/environments/staging/flags").length;
    const stagingBefore = stagingFetches();
    await act(() => client.refetchQueries({ queryKey: ["environments"], exact: true }));
    const ranking = document.getElementById("flag-row-search-ranking") as HTMLElement;
    await waitFor(() => expect(within(ranking).getByText("100% on")).toBeTruthy());
    // Only the environment that changed is downloaded again.
    expect(stagingFetches()).toBe(stagingBefore);
  });

  it("virtualises: 5,000 flags render only the rows in view", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => flag(`flag-${String(i).padStart(4, "0")}`));
    const api = seed();
    api.routes["GET /api/v1/flags"] = { json: { flags: many } };
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
