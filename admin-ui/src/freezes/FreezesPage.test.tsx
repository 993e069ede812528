import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromLocalInput } from "../components/local-time.js";
import { testEnvironment } from "../testing/environment.js";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { FreezesPage } from "./FreezesPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const env = testEnvironment;
const blackFriday = {
  environment: "production",
  reason: "Black Friday",
  until: "2026-11-28T00:00:00.000Z",
  createdBy: "ana",
};

function api(role: "viewer" | "editor" | "admin", freezes: unknown[] = []) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role } },
    "GET /api/v1/environments": { json: { environments: [env("staging", 1), env("production", 2)] } },
    "GET /api/v1/freezes": { json: { freezes } },
  });
}

describe("FreezesPage", () => {
  it("lets an admin freeze an environment with a reason and an end time", async () => {
    const mock = api("admin");
    mock.routes["PUT /api/v1/environments/production/freeze"] = { json: { freeze: blackFriday } };
    renderAt(<FreezesPage />, "/freezes");
    await userEvent.click(await screen.findByRole("button", { name: "Freeze production" }));
    const form = screen.getByRole("form", { name: "Freeze production" });
    await userEvent.type(within(form).getByRole("textbox", { name: "Reason" }), "Black Friday");
    const until = within(form).getByLabelText("Frozen until") as HTMLInputElement;
    await userEvent.clear(until);
    await userEvent.type(until, "2026-11-28T00:00");
    await userEvent.click(within(form).getByRole("button", { name: "Freeze" }));
    await waitFor(() =>
      expect(mock.calls.find((c) => c.method === "PUT")?.body).toEqual({
        reason: "Black Friday",
        until: fromLocalInput("2026-11-28T00:00"),
      }),
    );
  });

  it("asks for a reason before sending anything", async () => {
    const mock = api("admin");
    renderAt(<FreezesPage />, "/freezes");
    await userEvent.click(await screen.findByRole("button", { name: "Freeze staging" }));
    await userEvent.click(screen.getByRole("button", { name: "Freeze" }));
    expect(screen.getByText("Say why it is frozen.")).toBeTruthy();
    expect(mock.calls.some((c) => c.method === "PUT")).toBe(false);
  });

  it("shows a freeze's reason, end and author, and lets an admin lift it", async () => {
    const mock = api("admin", [blackFriday]);
    mock.routes["DELETE /api/v1/environments/production/freeze"] = { status: 204, json: undefined };
    renderAt(<FreezesPage />, "/freezes");
    const row = await screen.findByRole("row", { name: "production" });
    expect(row.textContent).toContain("Black Friday");
    expect(row.textContent).toContain("by ana");
    expect(within(row).getByText(new Date(blackFriday.until).toLocaleString())).toBeTruthy();
    await userEvent.click(within(row).getByRole("button", { name: "Lift freeze of production" }));
    await waitFor(() =>
      expect(mock.calls.some((c) => c.method === "DELETE" && c.path.endsWith("/production/freeze"))).toBe(
        true,
      ),
    );
  });

  it("shows editors the freezes but no controls", async () => {
    api("editor", [blackFriday]);
    renderAt(<FreezesPage />, "/freezes");
    expect((await screen.findByRole("row", { name: "production" })).textContent).toContain("Black Friday");
    expect(screen.queryByRole("button", { name: /Freeze|Lift/ })).toBeNull();
    expect(screen.getByText(/Only admins set and lift freezes/)).toBeTruthy();
  });
});
