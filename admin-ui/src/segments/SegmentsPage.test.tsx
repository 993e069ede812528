import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockApi, problemResponse } from "../testing/mock-api.js";
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
      rules: [
        {
          clauses: [
            { attribute: "email", op: "endsWith", values: ["@example.com"] },
            { attribute: "plan", op: "in", values: ["pro"] },
          ],
        },
      ],
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
    const included = await screen.findByRole("group", { name: "Included keys" });
    const box = within(included).getByRole("textbox", { name: /Paste keys/ });
    const keys = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
    // Parsed as the text arrives (a paste is one input event), without waiting for the box to lose focus.
    fireEvent.change(box, { target: { value: keys.join("\n") } });
    const button = await screen.findByRole(
      "button",
      { name: /Replace included keys with these 100,000/ },
      { timeout: 10_000 },
    );
    // A summary and five examples: the page never renders 100,000 nodes.
    const rendered = document.body.cloneNode(true) as HTMLElement;
    for (const textarea of rendered.querySelectorAll("textarea")) textarea.remove();
    expect(rendered.textContent?.includes("user-99999")).toBe(false);
    expect(document.querySelectorAll("*").length).toBeLessThan(500);
    await userEvent.click(button);
    await waitFor(() => expect(api.calls.some((c) => c.method === "PUT")).toBe(true));
    const put = api.calls.find((c) => c.method === "PUT");
    expect(put?.headers.get("if-match")).toBe('"3"');
    expect(String(put?.body).split("\n")).toHaveLength(100_000);
    // Building and parsing 100,000 keys in happy-dom takes seconds on a loaded 2-core machine.
  }, 30_000);

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

describe("editing a segment", () => {
  it("opens the segment a link names", async () => {
    mockApi(base);
    renderAt(<SegmentsPage />, "/segments/production/pilot-users");
    expect(await screen.findByRole("heading", { name: "Pilot users" })).toBeTruthy();
    expect(screen.getByText(/2 keys in: a, b/)).toBeTruthy();
  });

  it("puts the open segment in the URL", async () => {
    mockApi(base);
    const { location } = renderAt(<SegmentsPage />, "/segments");
    await userEvent.click(await screen.findByRole("button", { name: "Pilot users" }));
    expect(location.history.at(-1)).toBe("/segments/production/pilot-users");
    expect(await screen.findByRole("heading", { name: "Pilot users" })).toBeTruthy();
  });

  it("keeps every clause of a rule when one of them is edited, and saves them all", async () => {
    const api = mockApi({
      ...base,
      "PATCH /api/v1/environments/production/segments/pilot-users": (call) =>
        jsonResponse({
          segment: {
            ...base["GET /api/v1/environments/production/segments/pilot-users"].json,
            rules: (call.body as { rules: unknown }).rules,
            version: 4,
          },
          version: 4,
        }),
    });
    renderAt(<SegmentsPage />, "/segments/production/pilot-users");
    const second = await screen.findByRole("group", { name: "Segment rule 1 clause 2" });
    const values = within(second).getByRole("textbox", { name: "Values" });
    await userEvent.type(values, ", team");
    await userEvent.click(screen.getByRole("button", { name: "Save rules" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({
      version: 3,
      rules: [
        {
          clauses: [
            { attribute: "email", op: "endsWith", values: ["@example.com"] },
            { attribute: "plan", op: "in", values: ["pro", "team"] },
          ],
        },
      ],
    });
  });

  it("shows the other person's rules when saving meets a newer version", async () => {
    const theirs = {
      ...base["GET /api/v1/environments/production/segments/pilot-users"].json,
      rules: [{ clauses: [{ attribute: "country", op: "in", values: ["DE"] }] }],
      version: 5,
    };
    const api = mockApi({
      ...base,
      "PATCH /api/v1/environments/production/segments/pilot-users": (call) =>
        (call.body as { version: number }).version === 3
          ? problemResponse({ status: 409, title: "Conflict", detail: "changed", current: theirs })
          : jsonResponse({ segment: { ...theirs, version: 6 }, version: 6 }),
    });
    renderAt(<SegmentsPage />, "/segments/production/pilot-users");
    await userEvent.click(await screen.findByRole("button", { name: "Remove segment rule 1" }));
    await userEvent.click(screen.getByRole("button", { name: "Save rules" }));
    const notice = await screen.findByRole("alert", { name: "Someone else changed this" });
    expect(within(notice).getByRole("table", { name: "Their change" }).textContent).toContain("country");
    await userEvent.click(within(notice).getByRole("button", { name: "Save mine over theirs" }));
    await waitFor(() =>
      expect(
        api.calls.filter((c) => c.method === "PATCH").map((c) => (c.body as { version: number }).version),
      ).toEqual([3, 5]),
    );
  });

  it("shows a rule's error beside the clause it is about", async () => {
    mockApi({
      ...base,
      "PATCH /api/v1/environments/production/segments/pilot-users": {
        status: 400,
        problem: {
          title: "Invalid request",
          detail: "Invalid body",
          errors: [
            { path: "rules.0.clauses.1.op", message: "not an operator" },
            { path: "description", message: "too long" },
          ],
        },
      },
    });
    renderAt(<SegmentsPage />, "/segments/production/pilot-users");
    await userEvent.type(
      within(await screen.findByRole("group", { name: "Segment rule 1 clause 2" })).getByRole("textbox", {
        name: "Values",
      }),
      "x",
    );
    await userEvent.click(screen.getByRole("button", { name: "Save rules" }));
    const second = screen.getByRole("group", { name: "Segment rule 1 clause 2" });
    expect(await within(second).findByText("not an operator")).toBeTruthy();
    expect(screen.getByText("description: too long")).toBeTruthy();
  });

  it("uploads excluded keys as well as included ones", async () => {
    const api = mockApi({
      ...base,
      "PUT /api/v1/environments/production/segments/pilot-users/excluded": { json: { version: 4 } },
    });
    renderAt(<SegmentsPage />, "/segments/production/pilot-users");
    const excluded = await screen.findByRole("group", { name: "Excluded keys" });
    fireEvent.change(within(excluded).getByRole("textbox", { name: /Paste keys/ }), {
      target: { value: "mallory\ntrent" },
    });
    await userEvent.click(
      await within(excluded).findByRole("button", { name: "Replace excluded keys with these 2" }),
    );
    await waitFor(() => expect(api.calls.some((c) => c.method === "PUT")).toBe(true));
    const put = api.calls.find((c) => c.method === "PUT");
    expect(put?.path).toBe("/api/v1/environments/production/segments/pilot-users/excluded");
    expect(put?.body).toBe("mallory\ntrent");
  });
});
