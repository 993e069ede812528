import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockApi, problemResponse } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { type User, UsersPage } from "./UsersPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const user = (over: Partial<User> = {}): User => ({
  id: 1,
  email: "ana@example.com",
  name: "Ana",
  role: "editor",
  disabled: false,
  passwordSet: true,
  version: 3,
  createdAt: "",
  ...over,
});

describe("UsersPage", () => {
  it("invites someone and shows their one-time setup link", async () => {
    mockApi({
      "GET /api/v1/users": { json: { users: [user()] } },
      "POST /api/v1/users": {
        status: 201,
        json: {
          user: user({ id: 2, name: "Bo", passwordSet: false }),
          setupUrl: "http://localhost:4000/setup?token=t1",
        },
      },
    });
    renderAt(<UsersPage />, "/users");
    await screen.findByText("Ana");
    await userEvent.type(screen.getByRole("textbox", { name: "Email" }), "bo@example.com");
    await userEvent.type(screen.getByRole("textbox", { name: "Name" }), "Bo");
    await userEvent.click(screen.getByRole("button", { name: "Invite" }));
    expect((await screen.findByLabelText("Setup link")).textContent).toBe(
      "http://localhost:4000/setup?token=t1",
    );
  });

  it("changes a role with the version it was read at", async () => {
    const api = mockApi({
      "GET /api/v1/users": { json: { users: [user()] } },
      "PATCH /api/v1/users/1": { json: { user: user({ role: "admin", version: 4 }), version: 4 } },
    });
    renderAt(<UsersPage />, "/users");
    await userEvent.selectOptions(await screen.findByRole("combobox", { name: "Role of Ana" }), "admin");
    await waitFor(() =>
      expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ role: "admin", version: 3 }),
    );
  });

  it("shows who changed the account when a role change meets a newer version, and can apply it on top", async () => {
    const theirs = user({ role: "viewer", disabled: true, version: 4 });
    const api = mockApi({
      "GET /api/v1/users": { json: { users: [user()] } },
      "PATCH /api/v1/users/1": (call) =>
        (call.body as { version: number }).version === 3
          ? problemResponse({ status: 409, title: "Conflict", detail: "changed", current: theirs })
          : jsonResponse({ user: { ...theirs, role: "admin", version: 5 }, version: 5 }),
    });
    renderAt(<UsersPage />, "/users");
    await userEvent.selectOptions(await screen.findByRole("combobox", { name: "Role of Ana" }), "admin");
    const notice = await screen.findByRole("alert", { name: "Someone else changed this" });
    expect(notice.textContent).toContain("changed Ana's account");
    const their = within(notice).getByRole("table", { name: "Their change" });
    expect(within(their).getByRole("row", { name: /role/ }).textContent).toContain("editorviewer");
    expect(within(their).getByRole("row", { name: /disabled/ }).textContent).toContain("falsetrue");
    await userEvent.click(within(notice).getByRole("button", { name: "Apply mine anyway" }));
    await waitFor(() =>
      expect(api.calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([
        { role: "admin", version: 3 },
        { role: "admin", version: 4 },
      ]),
    );
  });

  it("shows an error about a field the form does not have in the banner", async () => {
    mockApi({
      "GET /api/v1/users": { json: { users: [user()] } },
      "POST /api/v1/users": {
        status: 400,
        problem: {
          title: "Invalid request",
          detail: "Invalid body",
          errors: [
            { path: "email", message: "not an email" },
            { path: "password", message: "at least 12 characters" },
          ],
        },
      },
    });
    renderAt(<UsersPage />, "/users");
    await screen.findByText("Ana");
    await userEvent.type(screen.getByRole("textbox", { name: "Email" }), "bo@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Invite" }));
    expect(await screen.findByText("not an email")).toBeTruthy();
    const banner = screen.getByRole("alert");
    expect(banner.textContent).toContain("password: at least 12 characters");
    expect(banner.textContent).not.toContain("not an email");
  });
});
