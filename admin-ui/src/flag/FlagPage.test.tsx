import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Environment, FlagDefinition, FlagState } from "../api/types.js";
import { jsonResponse, mockApi, problemResponse, type RecordedCall } from "../testing/mock-api.js";
import { cell, overviewAnswer, overviewRoute } from "../testing/overview.js";
import { renderApp } from "../testing/render.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const environment = (key: string, sortOrder: number): Environment => ({
  key,
  name: key === "staging" ? "Staging" : "Production",
  sortOrder,
  color: null,
  corsOrigins: [],
  requiresApproval: false,
  rulesetVersion: 1,
  version: 1,
  createdAt: "",
});
const definition = (key: string, fields: Partial<FlagDefinition> = {}): FlagDefinition => ({
  key,
  name: key,
  description: "",
  kind: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
  tags: [],
  owner: null,
  temporary: true,
  clientVisible: false,
  salt: "salt",
  archived: false,
  archivedAt: null,
  version: 3,
  createdAt: "",
  updatedAt: "",
  ...fields,
});
const state = (flag: string, fields: Partial<FlagState> = {}): FlagState => ({
  flag,
  environment: "staging",
  on: true,
  offVariation: "off",
  targets: [{ variation: "on", values: ["alice", "bob"] }],
  rules: [
    {
      id: "geo",
      clauses: [
        { attribute: "country", op: "in", values: ["DE", "FR"] },
        { attribute: "plan", op: "in", values: ["pro"] },
      ],
      serve: { variation: "on" },
    },
  ],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
  version: 7,
  updatedAt: "",
  updatedBy: "ana",
  ...fields,
});
const STATE_PATH = "/api/v1/environments/staging/flags/new-checkout";

function seed(current: FlagState = state("new-checkout")) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role: "editor" } },
    "GET /api/v1/environments": {
      json: { environments: [environment("staging", 1), environment("production", 2)] },
    },
    "GET /api/v1/flags/new-checkout": { json: definition("new-checkout") },
    "GET /api/v1/flags/dark-mode": { json: definition("dark-mode") },
    [`GET ${STATE_PATH}`]: { json: current },
    "GET /api/v1/environments/staging/flags/dark-mode": { json: state("dark-mode", { on: false }) },
    "GET /api/v1/environments/staging/segments": { json: { segments: [] } },
    "GET /api/v1/overview": overviewRoute(
      overviewAnswer(
        ["staging"],
        [
          { key: "new-checkout", cells: { staging: cell("100% on") } },
          { key: "dark-mode", cells: { staging: cell("off → false") } },
        ],
      ),
    ),
    "GET /api/v1/usage": {
      json: {
        staleAfterDays: 30,
        flags: [
          {
            flag: "new-checkout",
            temporary: true,
            evaluationsLast7Days: { staging: 0 },
            stale: true,
            why: "not evaluated for 41 days",
            servesEverywhere: null,
            lastEvaluated: "2026-10-01T10:00:00.000Z",
          },
        ],
      },
    },
    "GET /api/v1/flags/new-checkout/usage": {
      json: {
        series: [
          { environment: "staging", variant: "on", hour: "2026-10-01T10:00:00.000Z", count: 1500 },
          { environment: "production", variant: "on", hour: "2026-10-01T10:00:00.000Z", count: 9 },
        ],
        lastEvaluated: { staging: "2026-10-01T10:00:00.000Z" },
      },
    },
  });
}

const open = async () => {
  const rendered = renderApp("/flags/new-checkout?env=staging");
  // The first test also waits for the flag page's chunk to load.
  await screen.findByRole("switch", { name: "new-checkout on in Staging" }, { timeout: 5_000 });
  return rendered;
};
const clause = (n: number) => screen.getByRole("group", { name: `Rule 1 clause ${n}` });
const valuesOf = (n: number) =>
  within(clause(n)).getByRole("textbox", { name: "Values" }) as HTMLInputElement;
const targetsBox = () => screen.getByRole("textbox", { name: /Serve on to/ }) as HTMLTextAreaElement;

describe("the flag page's editors", () => {
  it("keeps each clause's values with its clause when another is removed", async () => {
    seed();
    await open();
    const user = userEvent.setup();
    expect(valuesOf(2).value).toBe("pro");
    await user.click(screen.getByRole("button", { name: "Remove Rule 1 clause 1" }));
    expect(screen.queryByRole("group", { name: "Rule 1 clause 2" })).toBeNull();
    expect(within(clause(1)).getByRole("textbox", { name: "Attribute" })).toHaveProperty("value", "plan");
    expect(valuesOf(1).value).toBe("pro");
    await user.type(valuesOf(1), ", team");
    fireEvent.blur(valuesOf(1));
    await user.click(screen.getByRole("button", { name: "Review and save" }));
    const diff = screen.getByRole("table", { name: /Changes to new-checkout/ });
    expect(diff.textContent).toContain("team");
    expect(diff.textContent).not.toContain('"DE"');
  });

  it("shows another person's saved values when they arrive live", async () => {
    const api = seed();
    const { client } = await open();
    const theirs = state("new-checkout", {
      version: 8,
      targets: [{ variation: "on", values: ["carol"] }],
      rules: [
        {
          id: "geo",
          clauses: [{ attribute: "country", op: "in", values: ["ES"] }],
          serve: { variation: "on" },
        },
      ],
    });
    api.routes[`GET ${STATE_PATH}`] = { json: theirs };
    await act(() =>
      client.refetchQueries({ queryKey: ["environments", "staging", "states", "new-checkout"] }),
    );
    await waitFor(() => expect(valuesOf(1).value).toBe("ES"));
    expect(targetsBox().value).toBe("carol");
    expect(screen.getByText("version 8 · last changed by ana")).toBeTruthy();
  });

  it("puts every box back to the saved state on Discard edits", async () => {
    seed();
    await open();
    const user = userEvent.setup();
    await user.type(valuesOf(1), ", IT");
    await user.type(targetsBox(), "\ncarol");
    expect(valuesOf(1).value).toBe("DE, FR, IT");
    await user.click(screen.getByRole("button", { name: "Discard edits" }));
    expect(valuesOf(1).value).toBe("DE, FR");
    expect(targetsBox().value).toBe("alice\nbob");
    expect((screen.getByRole("button", { name: "Review and save" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it("does not count a toggle on its way to the server as an unsaved edit", async () => {
    const api = seed();
    let answer: (response: Response) => void = () => {};
    api.routes[`PATCH ${STATE_PATH}`] = () => new Promise<Response>((resolve) => (answer = resolve));
    await open();
    const user = userEvent.setup();
    await user.click(screen.getByRole("switch", { name: "new-checkout on in Staging" }));
    expect(screen.getByText("Off")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Review and save" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect((screen.getByRole("button", { name: "Discard edits" }) as HTMLButtonElement).disabled).toBe(true);
    const after = state("new-checkout", { on: false, version: 8 });
    api.routes[`GET ${STATE_PATH}`] = { json: after };
    await act(async () =>
      answer(jsonResponse({ state: after, version: 8, rulesetVersions: { staging: 2 } })),
    );
    await screen.findByText(/version 8/);
    expect(screen.queryByText(/changed this flag while you were editing/)).toBeNull();
    expect(api.calls.find((c) => c.method === "PATCH")?.headers.get("if-match")).toBe('"7"');
  });

  it("shows the other person's change when a toggle meets a newer version, and can apply it on top", async () => {
    const api = seed();
    const theirs = state("new-checkout", { version: 9, updatedBy: "bo", fallthrough: { variation: "on" } });
    const patches: RecordedCall[] = [];
    api.routes[`PATCH ${STATE_PATH}`] = (call) => {
      patches.push(call);
      if (call.headers.get("if-match") === '"7"')
        return problemResponse({ status: 409, title: "Conflict", detail: "changed", current: theirs });
      const off = { ...theirs, on: false, version: 10 };
      return jsonResponse({ state: off, version: 10, rulesetVersions: { staging: 3 } });
    };
    await open();
    const user = userEvent.setup();
    await user.click(screen.getByRole("switch", { name: "new-checkout on in Staging" }));
    const notice = await screen.findByRole("alert", { name: "Someone else changed this" });
    expect(notice.textContent).toContain("bo changed new-checkout in Staging");
    const their = within(notice).getByRole("table", { name: "Their change" });
    expect(within(their).getByRole("row", { name: /fallthrough.variation/ }).textContent).toContain("offon");
    // The page now shows their state, still on.
    expect(screen.getByText("version 9 · last changed by bo")).toBeTruthy();
    await user.click(within(notice).getByRole("button", { name: "Turn it off anyway" }));
    await screen.findByText(/version 10/);
    expect(patches.map((p) => p.headers.get("if-match"))).toEqual(['"7"', '"9"']);
    expect(screen.queryByRole("alert", { name: "Someone else changed this" })).toBeNull();
  });

  it("shows a refused toggle's reason beside the switch, in the freeze notice", async () => {
    const api = seed();
    api.routes[`PATCH ${STATE_PATH}`] = {
      status: 423,
      problem: { title: "Frozen", detail: "production is frozen until 18:00" },
    };
    await open();
    await userEvent.click(screen.getByRole("switch", { name: "new-checkout on in Staging" }));
    const message = await screen.findByText("production is frozen until 18:00");
    const notice = message.closest("[role=alert]") as HTMLElement;
    expect(notice.className).toContain("frozen-notice");
    const toggle = screen.getByRole("switch", { name: "new-checkout on in Staging" });
    expect(toggle.getAttribute("aria-describedby")).toBe(notice.id);
    expect(toggle.getAttribute("aria-invalid")).toBe("true");
  });

  it("puts each save error beside the clause or serve it is about, and the rest in the banner", async () => {
    const api = seed();
    api.routes[`PUT ${STATE_PATH}`] = {
      status: 400,
      problem: {
        title: "Invalid request",
        detail: "Invalid body (3 problems)",
        errors: [
          { path: "rules.0.clauses.1.values.0", message: "values must not be empty" },
          { path: "rules.0.serve.variation", message: 'no variation "gone"' },
          { path: "shadow.sampleRate", message: "at most 1" },
        ],
      },
    };
    await open();
    const user = userEvent.setup();
    await user.clear(valuesOf(2));
    await user.click(screen.getByRole("button", { name: "Review and save" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(within(clause(2)).getByText("values must not be empty")).toBeTruthy();
    expect(within(clause(1)).queryByText("values must not be empty")).toBeNull();
    expect(valuesOf(2).getAttribute("aria-invalid")).toBe("true");
    const serve = screen.getByRole("group", { name: "Rule 1" });
    expect(within(serve).getByText('no variation "gone"')).toBeTruthy();
    const banner = screen.getByText("Not saved.").closest("[role=alert]") as HTMLElement;
    expect(banner.textContent).toContain("shadow.sampleRate: at most 1");
    expect(banner.textContent).not.toContain("values must not be empty");
  });

  it("adds a prerequisite from the environment's flags and previews it with that flag's real state", async () => {
    const api = seed();
    api.routes[`PUT ${STATE_PATH}`] = {
      json: { state: state("new-checkout", { version: 8 }), version: 8, rulesetVersions: {} },
    };
    await open();
    const user = userEvent.setup();
    await user.clear(screen.getByRole("textbox", { name: /User context/ }));
    await user.type(screen.getByRole("textbox", { name: /User context/ }), "alice");
    expect(document.querySelector(".preview-result")?.textContent).toContain("individually targeted");

    await user.click(screen.getByRole("button", { name: "Add prerequisite" }));
    await user.type(screen.getByRole("combobox", { name: "Prerequisite 1: flag" }), "dark-mode");
    const variation = screen.getByRole("combobox", { name: "Prerequisite 1: variation" });
    await waitFor(() => expect(within(variation).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(variation, "on");
    // dark-mode is off in staging, so it serves "off", not "on": the prerequisite fails.
    await waitFor(() =>
      expect(document.querySelector(".preview-result")?.textContent).toContain(
        "prerequisite dark-mode is not met",
      ),
    );
    await user.click(screen.getByRole("button", { name: "Review and save" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "PUT")).toBe(true));
    expect(api.calls.find((c) => c.method === "PUT")?.body).toMatchObject({
      prerequisites: [{ flagKey: "dark-mode", variation: "on" }],
    });
  });

  it("removes a prerequisite", async () => {
    seed(state("new-checkout", { prerequisites: [{ flagKey: "dark-mode", variation: "on" }] }));
    await open();
    const user = userEvent.setup();
    expect(screen.getByRole("combobox", { name: "Prerequisite 1: flag" })).toHaveProperty(
      "value",
      "dark-mode",
    );
    await user.click(screen.getByRole("button", { name: "Remove Prerequisite 1" }));
    expect(screen.queryByRole("group", { name: "Prerequisite 1" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Review and save" }));
    expect(screen.getByRole("table", { name: /Changes to new-checkout/ }).textContent).toContain(
      "prerequisites",
    );
  });
});

describe("the flag page around the editors", () => {
  it("moves between environment tabs with the arrow keys; each tab names the panel it controls", async () => {
    const api = seed();
    api.routes["GET /api/v1/environments/production/flags/new-checkout"] = {
      json: state("new-checkout", { environment: "production" }),
    };
    api.routes["GET /api/v1/environments/production/segments"] = { json: { segments: [] } };
    const { location } = await open();
    const staging = screen.getByRole("tab", { name: /Staging/ });
    const production = screen.getByRole("tab", { name: /Production/ });
    expect(staging.tabIndex).toBe(0);
    expect(production.tabIndex).toBe(-1);
    const panel = screen.getByRole("tabpanel");
    expect(staging.getAttribute("aria-controls")).toBe(panel.id);
    expect(panel.getAttribute("aria-labelledby")).toBe(staging.id);
    act(() => staging.focus());
    fireEvent.keyDown(staging, { key: "ArrowRight" });
    expect(location.history.at(-1)).toBe("/flags/new-checkout?env=production");
    await screen.findByRole("switch", { name: "new-checkout on in Production" });
    expect(document.activeElement).toBe(screen.getByRole("tab", { name: /Production/ }));
    fireEvent.keyDown(document.activeElement as Element, { key: "ArrowRight" });
    expect(location.history.at(-1)).toBe("/flags/new-checkout?env=staging");
  });

  it("shows when SDKs last evaluated it here, and the stale badge with its reason", async () => {
    seed();
    await open();
    expect((await screen.findByText(/Last evaluated/)).textContent).toContain("1.5K evaluations");
    const badge = await screen.findByText("stale");
    expect(badge.closest(".badge")?.getAttribute("title")).toBe("not evaluated for 41 days");
  });

  it("shows a client-visibility conflict as the other person's change", async () => {
    const api = seed();
    api.routes["PATCH /api/v1/flags/new-checkout"] = (call) =>
      call.headers.get("if-match") === '"3"'
        ? problemResponse({
            status: 409,
            title: "Conflict",
            detail: "changed",
            current: definition("new-checkout", { version: 4, tags: ["checkout"] }),
          })
        : jsonResponse({ flag: definition("new-checkout", { version: 5, clientVisible: true }), version: 5 });
    await open();
    const user = userEvent.setup();
    await user.click(screen.getByRole("checkbox", { name: /Visible to client-side SDKs/ }));
    const notice = await screen.findByRole("alert", { name: "Someone else changed this" });
    expect(within(notice).getByRole("row", { name: /tags/ }).textContent).toContain("checkout");
    await user.click(within(notice).getByRole("button", { name: "Make it visible anyway" }));
    await waitFor(() =>
      expect(api.calls.filter((c) => c.method === "PATCH").map((c) => c.headers.get("if-match"))).toEqual([
        '"3"',
        '"4"',
      ]),
    );
  });

  it("shows the kill switch to editors as a full-strength button", async () => {
    seed();
    await open();
    const kill = screen.getByRole("button", { name: "Kill in Staging" });
    expect(kill.className).toContain("flag-kill");
    expect(kill.className).not.toContain("kill-button");
  });
});
