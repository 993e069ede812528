/**
 * The flag page in an environment that requires approval: the server files the edit as a change request
 * (202 `{ changeRequest }`) instead of applying it. The page must say so and keep showing what is live,
 * rather than reading a `state` the answer does not have.
 */
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FlagPage } from "../flag/FlagPage.js";
import { flagPageApi } from "../testing/flag-page.js";
import { renderAt } from "../testing/render.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const filed = {
  status: 202,
  json: {
    changeRequest: {
      id: 9,
      environment: "production",
      flag: "new-checkout",
      changes: { on: true },
      baseVersion: 4,
      reason: null,
      status: "pending",
      requestedBy: "ana",
      decidedBy: null,
      decidedAt: null,
      comments: [],
      createdAt: "2026-05-01T10:01:00Z",
    },
  },
};

const api = () =>
  flagPageApi(
    "editor",
    {
      "PATCH /api/v1/environments/production/flags/new-checkout": filed,
      "PUT /api/v1/environments/production/flags/new-checkout": filed,
    },
    { requiresApproval: true, name: "ana" },
  );

/** Alerts other than the dark-launch panel's reads, which these tests do not mock. */
const unexpectedAlerts = () =>
  screen
    .queryAllByRole("alert")
    .map((a) => a.textContent ?? "")
    .filter((text) => !text.includes("No mock for"));

describe("a save filed as a change request from the flag page", () => {
  it("explains that nothing applied yet, links the request, and leaves the switch showing what is live", async () => {
    const mock = api();
    renderAt(<FlagPage flagKey="new-checkout" />, "/flags/new-checkout?env=production");
    const toggle = await screen.findByRole("switch", { name: "new-checkout on in production" });
    await userEvent.click(toggle);

    const notice = await screen.findByText(/was filed as change request #9/);
    expect(notice.textContent).toContain("production requires approval");
    expect(screen.getByRole("link", { name: "See change request #9" }).getAttribute("href")).toBe(
      "/change-requests?environment=production",
    );
    await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(false));
    expect(mock.calls.some((c) => c.method === "PATCH")).toBe(true);
    expect(unexpectedAlerts()).toEqual([]);
  });

  it("does the same for an edit saved through the diff dialog, dropping the edit from the page", async () => {
    const mock = api();
    renderAt(<FlagPage flagKey="new-checkout" />, "/flags/new-checkout?env=production");
    await userEvent.selectOptions(await screen.findByRole("combobox", { name: "When off, serve" }), "on");
    await userEvent.click(screen.getByRole("button", { name: "Review and save" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Save" }));

    expect((await screen.findByText(/was filed as change request #9/)).textContent).toContain(
      "requires approval",
    );
    expect(mock.calls.find((c) => c.method === "PUT")?.body).toMatchObject({ offVariation: "on" });
    await waitFor(() =>
      expect((screen.getByRole("combobox", { name: "When off, serve" }) as HTMLSelectElement).value).toBe(
        "off",
      ),
    );
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(unexpectedAlerts()).toEqual([]);
  });
});
