import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import type { Guard } from "./api.js";
import { GuardsPanel } from "./GuardsPanel.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const path = "/api/v1/environments/production/flags/pricing-v2/guards";
const me = (role: string) => ({ json: { type: "user", id: "1", name: "ana", role } });
const guard = (over: Partial<Guard>): Guard => ({
  id: 1,
  metric: "mismatch_rate",
  limit: 0.01,
  action: "kill",
  alpha: 0.01,
  status: "green",
  trials: 100,
  events: 0,
  llr: 0,
  threshold: 10,
  step: "shadow",
  trippedAt: null,
  trip: null,
  ...over,
});

describe("GuardsPanel", () => {
  it("shows each guard green, watching or tripped with the figures that tripped it", async () => {
    mockApi({
      "GET /api/v1/auth/me": me("viewer"),
      [`GET ${path}`]: {
        json: {
          guards: [
            guard({ id: 1, llr: 1 }),
            guard({ id: 2, metric: "error_rate", limit: 0.005, llr: 6, events: 3, trials: 300 }),
            guard({
              id: 3,
              metric: "latency_p95_ratio",
              limit: 1.5,
              action: "stop_ramp",
              status: "tripped",
              trippedAt: "2026-11-25T03:58:00.000Z",
              trip: { trials: 900, observedP95Ms: { control: 25, candidate: 100 }, step: "rollout" },
            }),
          ],
        },
      },
    });
    renderAt(<GuardsPanel env="production" flag="pricing-v2" />);
    const mismatch = await screen.findByRole("row", { name: "Mismatch rate" });
    expect(within(mismatch).getByText("green")).toBeTruthy();
    expect(mismatch.textContent).toContain("mismatch rate > 1%");
    const errors = screen.getByRole("row", { name: "Candidate error rate" });
    expect(within(errors).getByText("watching")).toBeTruthy();
    expect(errors.textContent).toContain("3 of 300 calls · test 60% of the way to tripping");
    const latency = screen.getByRole("row", { name: "Candidate p95 latency" });
    expect(within(latency).getByText("tripped")).toBeTruthy();
    expect(latency.textContent).toContain(
      "p95 25 ms (old) vs 100 ms (new) over 900 calls at the rollout step; its ramp was stopped.",
    );
    // Viewers see the status, not the controls.
    expect(screen.queryByRole("button", { name: "Re-arm" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Edit limits" })).toBeNull();
  });

  it("saves the limits typed in percent as the server's fractions, keeping a guard's alpha", async () => {
    const api = mockApi({
      "GET /api/v1/auth/me": me("editor"),
      [`GET ${path}`]: { json: { guards: [guard({ alpha: 0.02 })] } },
      [`PUT ${path}`]: { json: { guards: [] } },
    });
    renderAt(<GuardsPanel env="production" flag="pricing-v2" />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit limits" }));
    const form = screen.getByRole("form", { name: "Guard limits" });
    const mismatch = within(form).getByRole("group", { name: "Mismatch rate" });
    const limit = within(mismatch).getByLabelText("Limit (%)");
    expect((limit as HTMLInputElement).value).toBe("1");
    await userEvent.clear(limit);
    await userEvent.type(limit, "2");
    const latency = within(form).getByRole("group", { name: "Candidate p95 latency" });
    await userEvent.click(within(latency).getByRole("checkbox"));
    await userEvent.selectOptions(within(latency).getByLabelText("When it trips"), "stop_ramp");
    await userEvent.click(within(form).getByRole("button", { name: "Save guards" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "PUT")).toBe(true));
    expect(api.calls.find((c) => c.method === "PUT")?.body).toEqual({
      guards: [
        { metric: "mismatch_rate", limit: 0.02, action: "kill", alpha: 0.02 },
        { metric: "latency_p95_ratio", limit: 1.5, action: "stop_ramp" },
      ],
    });
  });

  it("shows the server's complaint beside the limit at fault", async () => {
    mockApi({
      "GET /api/v1/auth/me": me("editor"),
      [`GET ${path}`]: { json: { guards: [guard({})] } },
      [`PUT ${path}`]: {
        status: 400,
        problem: {
          title: "Invalid request",
          errors: [{ path: "guards.0.limit", message: "a rate limit is below 1 (0.01 = 1%)" }],
        },
      },
    });
    renderAt(<GuardsPanel env="production" flag="pricing-v2" />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit limits" }));
    const form = screen.getByRole("form", { name: "Guard limits" });
    await userEvent.click(within(form).getByRole("button", { name: "Save guards" }));
    const mismatch = within(form).getByRole("group", { name: "Mismatch rate" });
    expect(await within(mismatch).findByText("a rate limit is below 1 (0.01 = 1%)")).toBeTruthy();
  });
});
