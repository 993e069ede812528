import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
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
});
