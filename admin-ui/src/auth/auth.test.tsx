import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderApp } from "../testing/render.js";
import { safeNext } from "./LoginPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const me = { type: "user", id: "1", name: "ada@example.com", role: "admin" };
const loggedOut = { status: 401, problem: { title: "Unauthorized", detail: "Log in" } } as const;
const emptyLists = {
  "GET /api/v1/environments": { json: { environments: [] } },
  "GET /api/v1/overview": { json: { environments: [], cells: [], flags: [] } },
};

describe("logging in", () => {
  it("shows the server's message on a wrong password, then goes where the user was headed", async () => {
    let password = "";
    const api = mockApi({
      ...emptyLists,
      "GET /api/v1/auth/me": loggedOut,
      "POST /api/v1/auth/login": ({ body }) => {
        password = (body as { password: string }).password;
        return password === "right password"
          ? new Response(JSON.stringify(me), { headers: { "content-type": "application/json" } })
          : new Response(
              JSON.stringify({ title: "Unauthorized", status: 401, detail: "Wrong email or password." }),
              { status: 401, headers: { "content-type": "application/problem+json" } },
            );
      },
    });
    const { location } = renderApp("/login?next=%2Fhistory");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Wrong email or password.");

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "right password");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    await waitFor(() => expect(location.history.at(-1)).toBe("/history"));
    expect(api.calls.filter((c) => c.path === "/api/v1/auth/login").at(-1)?.body).toEqual({
      email: "ada@example.com",
      password: "right password",
    });
  });

  it("never sends the user to another site after logging in", () => {
    expect(safeNext("next=%2Fflags%2Fx")).toBe("/flags/x");
    expect(safeNext("next=https%3A%2F%2Fevil.example")).toBe("/flags");
    expect(safeNext("next=%2F%2Fevil.example")).toBe("/flags");
    expect(safeNext("")).toBe("/flags");
  });

  it("goes back to the login page when the session ends mid-way", async () => {
    const api = mockApi({ ...emptyLists, "GET /api/v1/auth/me": { json: me } });
    const { location, client } = renderApp("/flags");
    await screen.findByText("0 of 0 flags");
    api.routes["GET /api/v1/overview"] = loggedOut;
    await client.refetchQueries({ queryKey: ["overview"] });
    await screen.findByRole("heading", { name: "Log in to Switchyard" });
    expect(location.history.at(-1)).toBe("/login?next=%2Fflags");
  });

  it("logs out", async () => {
    const api = mockApi({
      ...emptyLists,
      "GET /api/v1/auth/me": { json: me },
      "POST /api/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    const { location } = renderApp("/flags");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Log out" }));
    await screen.findByRole("heading", { name: "Log in to Switchyard" });
    expect(api.calls.some((c) => c.method === "POST" && c.path === "/api/v1/auth/logout")).toBe(true);
    expect(location.history.at(-1)).toBe("/login");
  });
});

describe("first-run setup", () => {
  it("sets the password with the link's token, sending only what the user changed", async () => {
    const api = mockApi({
      ...emptyLists,
      "GET /api/v1/auth/me": loggedOut,
      "GET /api/v1/auth/setup": { json: { email: "admin@localhost", name: "Administrator", role: "admin" } },
      "POST /api/v1/auth/setup": { json: me },
    });
    const { location } = renderApp("/setup?token=abc123");
    const user = userEvent.setup();
    await screen.findByText(/Choose a password for the/);
    await waitFor(() =>
      expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("admin@localhost"),
    );
    expect(api.calls.find((c) => c.path === "/api/v1/auth/setup")?.search).toBe("?token=abc123");

    await user.type(screen.getByLabelText("Password"), "long enough pw");
    await user.type(screen.getByLabelText("Repeat the password"), "different pw!!");
    await user.click(screen.getByRole("button", { name: "Set password and log in" }));
    expect(screen.getByText("The two passwords differ.")).toBeTruthy();

    await user.clear(screen.getByLabelText("Repeat the password"));
    await user.type(screen.getByLabelText("Repeat the password"), "long enough pw");
    await user.click(screen.getByRole("button", { name: "Set password and log in" }));
    await waitFor(() => expect(location.history.at(-1)).toBe("/flags"));
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      token: "abc123",
      password: "long enough pw",
    });
  });

  it("explains a used or expired link", async () => {
    mockApi({
      "GET /api/v1/auth/me": loggedOut,
      "GET /api/v1/auth/setup": {
        status: 404,
        problem: { title: "Not found", detail: "This setup link is unknown, used or expired." },
      },
    });
    renderApp("/setup?token=old");
    expect((await screen.findByRole("alert")).textContent).toContain("unknown, used or expired");
  });
});
