import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { EnvironmentsPage } from "./EnvironmentsPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("EnvironmentsPage", () => {
  it("lists environments in release order and adds one after the last", async () => {
    const env = (key: string, sortOrder: number, requiresApproval = false) => ({
      key,
      name: key,
      sortOrder,
      color: null,
      corsOrigins: [],
      requiresApproval,
      rulesetVersion: 7,
      version: 1,
      createdAt: "",
    });
    const api = mockApi({
      "GET /api/v1/environments": {
        json: { environments: [env("production", 20, true), env("staging", 10)] },
      },
      "POST /api/v1/environments": { status: 201, json: {} },
    });
    renderAt(<EnvironmentsPage />, "/environments");
    const rows = await screen.findAllByRole("row");
    expect(rows[1]?.textContent).toContain("staging");
    expect(rows[2]?.textContent).toContain("need approval");
    await userEvent.type(screen.getByRole("textbox", { name: "Key" }), "qa");
    await userEvent.click(screen.getByRole("button", { name: "Add environment" }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
        key: "qa",
        name: "qa",
        sortOrder: 20,
        requiresApproval: false,
      }),
    );
  });
});
