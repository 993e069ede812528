import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { cell, overviewAnswer, overviewRoute } from "../testing/overview.js";
import { renderAt } from "../testing/render.js";
import { SegmentsPage } from "./SegmentsPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const environments = {
  json: {
    environments: [
      {
        key: "production",
        name: "Production",
        sortOrder: 1,
        color: null,
        corsOrigins: [],
        requiresApproval: false,
        rulesetVersion: 1,
        version: 1,
        createdAt: "",
      },
    ],
  },
};
const base = {
  "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role: "editor" } },
  "GET /api/v1/environments": environments,
  "GET /api/v1/overview": overviewRoute(
    overviewAnswer(
      ["production"],
      [
        {
          key: "new-checkout",
          cells: { production: cell("pilot: pilot-users", { segments: ["pilot-users"] }) },
        },
        { key: "dark-mode", cells: { production: cell("100% on") } },
      ],
    ),
  ),
  "GET /api/v1/environments/production/segments": {
    json: {
      segments: [{ key: "pilot-users", name: "Pilot users", includedCount: 5, excludedCount: 0, rules: [] }],
    },
  },
  "GET /api/v1/environments/production/segments/pilot-users": {
    json: {
      key: "pilot-users",
      name: "Pilot users",
      description: "",
      included: ["a", "b"],
      excluded: [],
      rules: [],
      version: 3,
    },
  },
};

describe("SegmentsPage", () => {
  it("lists segments with their size and the flags that use them", async () => {
    mockApi(base);
    renderAt(<SegmentsPage />, "/segments");
    const row = await screen.findByRole("row", { name: /Pilot users/ });
    await waitFor(() => expect(row.textContent).toContain("new-checkout"));
    expect(row.textContent).not.toContain("dark-mode");
    expect(row.textContent).toContain("5 in");
  });

  it("takes 100,000 pasted keys, shows a summary rather than the keys, and uploads them with the version", async () => {
    const api = mockApi({
      ...base,
      "PUT /api/v1/environments/production/segments/pilot-users/included": {
        json: { segment: {}, version: 4 },
      },
    });
    renderAt(<SegmentsPage />, "/segments");
    await userEvent.click(await screen.findByRole("button", { name: "Pilot users" }));
    const box = await screen.findByRole("textbox", { name: /Paste keys/ });
    const keys = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
    fireEvent.blur(box, { target: { value: keys.join("\n") } });
    const button = await screen.findByRole(
      "button",
      { name: /Replace included keys with these 100,000/ },
      { timeout: 10_000 },
    );
    // A summary and five examples: the page never renders 100,000 nodes.
    expect(document.body.textContent?.includes("user-99999")).toBe(false);
    expect(document.querySelectorAll("*").length).toBeLessThan(500);
    await userEvent.click(button);
    await waitFor(() => expect(api.calls.some((c) => c.method === "PUT")).toBe(true));
    const put = api.calls.find((c) => c.method === "PUT");
    expect(put?.headers.get("if-match")).toBe('"3"');
    expect(String(put?.body).split("\n")).toHaveLength(100_000);
  });

  it("creates a segment and shows the server's complaint next to the field", async () => {
    mockApi({
      ...base,
      "POST /api/v1/environments/production/segments": {
        status: 400,
        problem: {
          title: "Invalid request",
          errors: [{ path: "key", message: "use letters, digits, '.', '_' and '-'" }],
        },
      },
    });
    renderAt(<SegmentsPage />, "/segments");
    await userEvent.type(await screen.findByRole("textbox", { name: "Key" }), "bad key!");
    await userEvent.click(screen.getByRole("button", { name: "Create segment" }));
    expect(await screen.findByText("use letters, digits, '.', '_' and '-'")).toBeTruthy();
  });
});
