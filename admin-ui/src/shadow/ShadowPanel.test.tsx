import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import type { DarkLaunch, ShadowTotals } from "./api.js";
import { ShadowPanel } from "./ShadowPanel.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const base = "/api/v1/environments/production/flags/pricing-v2";
const totals = (over: Partial<ShadowTotals> = {}): ShadowTotals => ({
  calls: 200,
  shadowed: 100,
  matches: 97,
  mismatches: 3,
  candidateErrors: 1,
  controlErrors: 0,
  timeouts: 0,
  skipped: 4,
  mismatchRate: 0.03,
  errorRate: 0.01,
  latencyMs: { control: { p50: 5, p95: 25 }, candidate: { p50: 10, p95: 50 } },
  ...over,
});
const step = (over: Partial<DarkLaunch> = {}): DarkLaunch => ({
  step: "shadow",
  next: "pilot",
  candidate: "on",
  control: "off",
  percentage: 0,
  pilotSegment: null,
  shadowSampleRate: 10,
  readyForRemoval: false,
  version: 4,
  ...over,
});
const summary = {
  from: "2026-11-25T03:00:00.000Z",
  to: "2026-11-25T04:00:00.000Z",
  totals: totals(),
  series: [
    { at: "2026-11-25T03:50:00.000Z", ...totals({ mismatchRate: 0.01 }) },
    { at: "2026-11-25T03:55:00.000Z", ...totals() },
  ],
  samples: [
    { control: { totalCents: 189 }, candidate: { totalCents: 190 }, at: Date.parse("2026-11-25T03:56:00Z") },
  ],
};

describe("ShadowPanel", () => {
  it("shows the step, the rates, latency of old vs new and the mismatches side by side", async () => {
    mockApi({ [`GET ${base}/dark-launch`]: { json: step() }, [`GET ${base}/shadow`]: { json: summary } });
    renderAt(<ShadowPanel env="production" flag="pricing-v2" />);
    const path = await screen.findByRole("list", { name: "Dark-launch path" });
    expect(
      within(path)
        .getByText(/Shadow/)
        .closest("li")
        ?.getAttribute("aria-current"),
    ).toBe("step");
    expect(await screen.findByText("3.0%")).toBeTruthy();
    expect(screen.getByText("1.0%")).toBeTruthy();
    const latency = screen.getByRole("table", { name: "Latency" });
    expect(within(latency).getByRole("row", { name: /New \(candidate\)/ }).textContent).toContain("≤50 ms");
    expect(screen.getByText(/4 skipped/)).toBeTruthy();
    const samples = screen.getByRole("table", { name: "Sampled mismatches" });
    expect(samples.textContent).toContain('"totalCents": 189');
    expect(samples.textContent).toContain('"totalCents": 190');
    expect(screen.getByRole("img", { name: "Mismatch and error rate over time" })).toBeTruthy();
    const latencyChart = screen.getByRole("img", { name: "Latency over time, old vs new" });
    expect(latencyChart.textContent).toContain("new p95 50 ms");
    expect(latencyChart.textContent).toContain("old p50 5 ms");
  });

  it("moves to the pilot cohort with the chosen segment and the version it was based on", async () => {
    const api = mockApi({
      [`GET ${base}/dark-launch`]: { json: step() },
      [`GET ${base}/shadow`]: { json: summary },
      "GET /api/v1/environments/production/segments": {
        json: {
          segments: [
            { key: "pilot-users", name: "Pilot users" },
            { key: "staff", name: "Staff" },
          ],
        },
      },
      [`POST ${base}/dark-launch/advance`]: { json: { darkLaunch: step({ step: "pilot" }) } },
    });
    renderAt(<ShadowPanel env="production" flag="pricing-v2" />);
    const select = await screen.findByLabelText("Pilot cohort");
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(2));
    await userEvent.selectOptions(select, "staff");
    await userEvent.click(screen.getByRole("button", { name: "Move to pilot cohort" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "POST")).toBe(true));
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      to: "pilot",
      segment: "staff",
      version: 4,
    });
  });

  it("shows the server's problem next to the field at fault", async () => {
    mockApi({
      [`GET ${base}/dark-launch`]: {
        json: step({ step: "pilot", next: "rollout", pilotSegment: "pilot-users" }),
      },
      [`GET ${base}/shadow`]: { json: summary },
      [`POST ${base}/dark-launch/advance`]: {
        status: 400,
        problem: {
          title: "Invalid request",
          detail: "percentage",
          errors: [{ path: "percentage", message: "A rollout is more than 0% and less than 100%." }],
        },
      },
    });
    renderAt(<ShadowPanel env="production" flag="pricing-v2" />);
    await userEvent.click(await screen.findByRole("button", { name: "Move to rollout" }));
    expect(await screen.findByText("A rollout is more than 0% and less than 100%.")).toBeTruthy();
  });

  it("reads the chosen time range with a window size to match", async () => {
    const api = mockApi({
      [`GET ${base}/dark-launch`]: { json: step() },
      [`GET ${base}/shadow`]: { json: summary },
      [`GET ${base}/guards`]: { json: { guards: [] } },
    });
    renderAt(<ShadowPanel env="production" flag="pricing-v2" />);
    await screen.findByText("3.0%");
    const shadowCalls = () => api.calls.filter((c) => c.path === `${base}/shadow`);
    expect(new URLSearchParams(shadowCalls()[0]?.search).get("windowMinutes")).toBe("5");
    await userEvent.click(screen.getByRole("button", { name: "7 d" }));
    await waitFor(() => expect(shadowCalls().length).toBe(2));
    const query = new URLSearchParams(shadowCalls()[1]?.search);
    expect(query.get("windowMinutes")).toBe("360");
    const days = (Date.now() - Date.parse(query.get("from") ?? "")) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    expect(screen.getByRole("button", { name: "7 d" }).getAttribute("aria-pressed")).toBe("true");
  });

  it("after a guard trip shows the figures, blocks the move, and re-arms the guard", async () => {
    const trip = { trials: 400, events: 12, observedRate: 0.03, step: "shadow" };
    const tripped = {
      id: 7,
      metric: "mismatch_rate" as const,
      limit: 0.01,
      action: "kill" as const,
      trippedAt: "2026-11-25T03:58:00.000Z",
      trip,
    };
    const api = mockApi({
      [`GET ${base}/dark-launch`]: { json: step({ trippedGuards: [tripped] }) },
      [`GET ${base}/shadow`]: { json: summary },
      [`GET ${base}/guards`]: {
        json: {
          guards: [
            {
              ...tripped,
              alpha: 0.01,
              status: "tripped",
              trials: 400,
              events: 12,
              llr: 9,
              threshold: 9,
              step: "shadow",
            },
          ],
        },
      },
      [`POST ${base}/guards/rearm`]: { json: { rearmed: [], guards: [] } },
      "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role: "editor" } },
    });
    renderAt(<ShadowPanel env="production" flag="pricing-v2" />);
    const alert = await screen.findByText(/moving on is blocked until it is re-armed/);
    expect(alert.closest("[role=alert]")?.textContent).toContain(
      "12 of 400 compared calls differed (3%) at the shadow step; the flag was killed.",
    );
    expect(screen.queryByRole("button", { name: /Move to/ })).toBeNull();
    const form = await screen.findByRole("form", { name: "Re-arm the mismatch rate guard" });
    await userEvent.type(within(form).getByLabelText("Why re-arm"), "fixed rounding");
    await userEvent.click(within(form).getByRole("button", { name: "Re-arm" }));
    await waitFor(() => expect(api.calls.some((c) => c.path === `${base}/guards/rearm`)).toBe(true));
    expect(api.calls.find((c) => c.path === `${base}/guards/rearm`)?.body).toEqual({
      metrics: ["mismatch_rate"],
      reason: "fixed rounding",
    });
  });

  it("says so when no reports came in yet", async () => {
    mockApi({
      [`GET ${base}/dark-launch`]: { json: step({ step: "off", next: "shadow" }) },
      [`GET ${base}/shadow`]: {
        json: { ...summary, totals: totals({ calls: 0, shadowed: 0 }), series: [], samples: [] },
      },
    });
    renderAt(<ShadowPanel env="production" flag="pricing-v2" />);
    expect(await screen.findByText(/No shadow reports in the last hour/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Move to shadow" })).toBeTruthy();
  });
});
