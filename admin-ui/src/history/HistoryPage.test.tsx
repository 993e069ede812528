import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import type { AuditEntry } from "./describe.js";
import { HistoryPage } from "./HistoryPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: "2026-11-25T04:00:00.000Z",
  actor: { type: "user", id: "1", name: "Ana" },
  action: "flag_state.update",
  target: { type: "flag_state", key: "new-checkout" },
  environment: "production",
  flag: "new-checkout",
  reason: null,
  before: { on: false, rules: [] },
  after: { on: true, rules: [] },
  ...over,
});

describe("HistoryPage", () => {
  it("reads each change as a sentence with its reason and a before/after diff", async () => {
    mockApi({
      "GET /api/v1/audit": {
        json: {
          entries: [
            entry(2, {
              action: "flag.kill",
              reason: "payment errors",
              before: { on: true },
              after: { on: false },
            }),
            entry(1),
          ],
          nextCursor: null,
        },
      },
    });
    renderAt(<HistoryPage />, "/history");
    expect(await screen.findByText("Ana killed new-checkout in production")).toBeTruthy();
    expect(screen.getByText("Ana turned new-checkout on in production")).toBeTruthy();
    expect(screen.getByText("“payment errors”")).toBeTruthy();
    const killed = screen.getByText("Ana killed new-checkout in production").closest("li") as HTMLElement;
    const row = within(killed).getByRole("row", { name: /on/ });
    expect(row.textContent).toContain("true");
    expect(row.textContent).toContain("false");
  });

  it("keeps filters in the URL and sends them to the API; pages through older entries", async () => {
    const api = mockApi({
      "GET /api/v1/audit": (call) =>
        Response.json(
          new URLSearchParams(call.search).get("cursor")
            ? { entries: [entry(1, { reason: "older" })], nextCursor: null }
            : { entries: [entry(2)], nextCursor: "c1" },
        ),
    });
    const { location } = renderAt(<HistoryPage />, "/history?flag=new-checkout");
    await screen.findByText("History of new-checkout");
    expect(new URLSearchParams(api.calls[0]?.search).get("flag")).toBe("new-checkout");

    await userEvent.click(await screen.findByRole("button", { name: "Older changes" }));
    expect(await screen.findByText("“older”")).toBeTruthy();

    await userEvent.type(screen.getByRole("textbox", { name: "Actor" }), "guard");
    await userEvent.click(screen.getByRole("button", { name: "Filter" }));
    await waitFor(() => expect(location.history.at(-1)).toBe("/history?flag=new-checkout&actor=guard"));
  });

  it("says when nothing matches", async () => {
    mockApi({ "GET /api/v1/audit": { json: { entries: [], nextCursor: null } } });
    renderAt(<HistoryPage />, "/history?actor=nobody");
    expect(await screen.findByText("No changes match these filters.")).toBeTruthy();
  });
});
