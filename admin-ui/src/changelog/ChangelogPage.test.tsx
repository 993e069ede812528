import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testEnvironment } from "../testing/environment.js";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import type { ChangelogEntry } from "./api.js";
import { ChangelogPage } from "./ChangelogPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const env = testEnvironment;
const entry = (over: Partial<ChangelogEntry>): ChangelogEntry => ({
  at: "2026-05-01T10:00:00.000Z",
  actor: "Ana",
  actorType: "user",
  action: "flag_state.update",
  flag: "new-checkout",
  flags: ["new-checkout"],
  reason: null,
  summary: "Ana rolled new-checkout out to 25% in production",
  ...over,
});

function api() {
  return mockApi({
    "GET /api/v1/environments": { json: { environments: [env("staging", 1), env("production", 2)] } },
    "GET /api/v1/environments/staging/changelog": { json: { entries: [], truncated: false } },
    "GET /api/v1/environments/production/changelog": {
      json: {
        entries: [
          entry({ reason: "launch day" }),
          entry({
            at: "2026-05-01T09:00:00.000Z",
            actor: "guard",
            actorType: "system",
            action: "guard.trip",
            summary: 'The guard "mismatch rate > 1%" killed new-checkout in production',
          }),
        ],
        truncated: false,
      },
    },
  });
}

describe("ChangelogPage", () => {
  it("reads an environment's changes as sentences, with who, when and why", async () => {
    api();
    renderAt(<ChangelogPage />, "/changelog?environment=production");
    const list = await screen.findByRole("list", { name: "Changes in production" });
    const items = await within(list).findAllByRole("listitem");
    expect(items[0]?.textContent).toContain("Ana rolled new-checkout out to 25% in production");
    expect(items[0]?.textContent).toContain("Why: launch day");
    expect(items[1]?.textContent).toContain('The guard "mismatch rate > 1%" killed new-checkout');
    expect(within(items[1] as HTMLElement).getByText("system")).toBeTruthy();
  });

  it("filters by flag, tag and actor through the URL, and exports exactly that", async () => {
    const mock = api();
    const { location } = renderAt(<ChangelogPage />, "/changelog?environment=production");
    const form = await screen.findByRole("form", { name: "Filter the changelog" });
    await userEvent.type(within(form).getByLabelText("Flag"), "new-checkout");
    await userEvent.type(within(form).getByLabelText("Tag"), "release-42");
    await userEvent.type(within(form).getByLabelText("Actor"), "Ana");
    await userEvent.click(within(form).getByRole("button", { name: "Filter" }));
    await waitFor(() =>
      expect(mock.calls.at(-1)?.search).toBe("?flag=new-checkout&tag=release-42&actor=Ana"),
    );
    expect(location.history.at(-1)).toBe(
      "/changelog?environment=production&flag=new-checkout&tag=release-42&actor=Ana",
    );
    const csv = screen.getByRole("link", { name: "Export CSV" });
    expect(csv.getAttribute("href")).toBe(
      "/api/v1/environments/production/changelog?flag=new-checkout&tag=release-42&actor=Ana&format=csv",
    );
    expect(csv.getAttribute("download")).toBe("switchyard-production-changelog.csv");
    expect(screen.getByRole("link", { name: "Export JSON" }).getAttribute("href")).toContain("format=json");
  });

  it("starts at the first environment and switches with the picker", async () => {
    const mock = api();
    renderAt(<ChangelogPage />, "/changelog");
    expect(await screen.findByText("No changes match these filters.")).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText("Environment"), "production");
    await screen.findByText(/rolled new-checkout out to 25%/);
    expect(mock.calls.some((c) => c.path === "/api/v1/environments/staging/changelog")).toBe(true);
  });
});
