import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { type ApiKey, KeysPage } from "./KeysPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const key = (over: Partial<ApiKey> = {}): ApiKey => ({
  id: 1,
  name: "checkout prod",
  kind: "server",
  role: null,
  environment: "production",
  prefix: "sy_srv_abcdef0123",
  createdBy: "Ana",
  createdAt: "2026-11-25T00:00:00.000Z",
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});
const environments = {
  json: {
    environments: [
      {
        key: "staging",
        name: "Staging",
        sortOrder: 1,
        color: null,
        corsOrigins: [],
        requiresApproval: false,
        rulesetVersion: 3,
        version: 1,
        createdAt: "",
      },
    ],
  },
};

describe("KeysPage", () => {
  it("creates a key and shows its secret once, with a copy button", async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const api = mockApi({
      "GET /api/v1/keys": { json: { keys: [key()] } },
      "GET /api/v1/environments": environments,
      "POST /api/v1/keys": {
        status: 201,
        json: { ...key({ id: 2, name: "web" }), secret: "sy_srv_secret_value" },
      },
    });
    renderAt(<KeysPage />, "/keys");
    await screen.findByText("checkout prod");
    await userEvent.type(screen.getByRole("textbox", { name: "Name" }), "web");
    await waitFor(() => expect(screen.getByRole("option", { name: "Staging" })).toBeTruthy());
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    const secret = await screen.findByLabelText("New key");
    expect(secret.textContent).toBe("sy_srv_secret_value");
    expect(screen.getByText(/will not be shown again/)).toBeTruthy();
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "web",
      kind: "server",
      environment: "staging",
    });
    await userEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith("sy_srv_secret_value");
    await userEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByLabelText("New key")).toBeNull();
  });

  it("revokes a key after confirmation", async () => {
    const api = mockApi({
      "GET /api/v1/keys": { json: { keys: [key()] } },
      "GET /api/v1/environments": environments,
      "DELETE /api/v1/keys/1": { status: 204, json: undefined },
    });
    renderAt(<KeysPage />, "/keys");
    await userEvent.click(await screen.findByRole("button", { name: "Revoke checkout prod" }));
    expect(screen.getByText(/stops working at once/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Revoke" }));
    await waitFor(() =>
      expect(api.calls.some((c) => c.method === "DELETE" && c.path === "/api/v1/keys/1")).toBe(true),
    );
  });

  it("shows the server's complaint next to the field", async () => {
    mockApi({
      "GET /api/v1/keys": { json: { keys: [] } },
      "GET /api/v1/environments": environments,
      "POST /api/v1/keys": {
        status: 400,
        problem: { title: "Invalid request", errors: [{ path: "name", message: "must not be empty" }] },
      },
    });
    renderAt(<KeysPage />, "/keys");
    await screen.findByText("No keys yet.");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect(await screen.findByText("must not be empty")).toBeTruthy();
  });

  it("shows an error about a field this kind of key does not have on the form in the banner", async () => {
    mockApi({
      "GET /api/v1/keys": { json: { keys: [] } },
      "GET /api/v1/environments": environments,
      "POST /api/v1/keys": {
        status: 400,
        problem: {
          title: "Invalid request",
          detail: "Invalid body",
          errors: [{ path: "environment", message: "admin tokens are not per environment" }],
        },
      },
    });
    renderAt(<KeysPage />, "/keys");
    await userEvent.type(await screen.findByRole("textbox", { name: "Name" }), "ci");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Kind" }), "admin");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "environment: admin tokens are not per environment",
    );
  });
});
