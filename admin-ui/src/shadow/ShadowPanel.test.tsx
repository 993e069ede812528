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
    expect(screen.getByRole("img", { name: /Mismatch rate/ })).toBeTruthy();
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
