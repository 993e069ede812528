import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { ReleasePage } from "./ReleasePage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const env = (key: string, sortOrder: number) => ({
  key,
  name: key,
  sortOrder,
  color: null,
  corsOrigins: [],
  requiresApproval: false,
  rulesetVersion: 1,
  version: 1,
  createdAt: "",
});
const hash = "a".repeat(64);

describe("ReleasePage", () => {
  it("previews first, then requests an approval for exactly what was previewed", async () => {
    const api = mockApi({
      "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role: "editor" } },
      "GET /api/v1/environments": { json: { environments: [env("staging", 1), env("production", 2)] } },
      "GET /api/v1/promotions/pipeline": { json: { environments: [], flags: [] } },
      "GET /api/v1/promotions": { json: { promotions: [] } },
      "POST /api/v1/promotions/preview": {
        json: {
          blocked: false,
          hash,
          problems: [],
          targets: [
            {
              environment: "production",
              flags: [{ flag: "new-checkout", changes: ["rollout 20% → 50%"], unchanged: false }],
            },
          ],
        },
      },
      "POST /api/v1/promotions": { status: 201, json: { id: 7, status: "pending" } },
    });
    renderAt(<ReleasePage />, "/release");
    await waitFor(() =>
      expect(screen.getAllByRole("option", { name: "production" }).length).toBeGreaterThan(0),
    );
    await userEvent.type(screen.getByRole("textbox", { name: "Release tag" }), "release-42");
    await userEvent.click(screen.getByRole("button", { name: "Preview promotion" }));
    expect(await screen.findByText("rollout 20% → 50%")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Request approval" }));
    await waitFor(() =>
      expect(api.calls.some((c) => c.method === "POST" && c.path === "/api/v1/promotions")).toBe(true),
    );
    expect(api.calls.find((c) => c.path === "/api/v1/promotions" && c.method === "POST")?.body).toEqual({
      from: "staging",
      to: ["production"],
      tag: "release-42",
      expectedPreview: hash,
      gate: { type: "approval" },
    });
  });

  it("shows what blocks a promotion and offers no button then", async () => {
    mockApi({
      "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role: "editor" } },
      "GET /api/v1/environments": { json: { environments: [env("staging", 1), env("production", 2)] } },
      "GET /api/v1/promotions/pipeline": { json: { environments: [], flags: [] } },
      "GET /api/v1/promotions": { json: { promotions: [] } },
      "POST /api/v1/promotions/preview": {
        json: {
          blocked: true,
          hash,
          problems: [
            {
              environment: "production",
              flag: "new-checkout",
              message: 'segment "beta" does not exist in production',
            },
          ],
          targets: [
            {
              environment: "production",
              flags: [{ flag: "new-checkout", changes: ["rule added"], unchanged: false }],
            },
          ],
        },
      },
    });
    renderAt(<ReleasePage />, "/release");
    await userEvent.type(screen.getByRole("textbox", { name: "Release tag" }), "beta");
    await userEvent.click(screen.getByRole("button", { name: "Preview promotion" }));
    expect((await screen.findByRole("alert")).textContent).toContain('segment "beta" does not exist');
    expect(screen.queryByRole("button", { name: "Promote now" })).toBeNull();
  });
});
