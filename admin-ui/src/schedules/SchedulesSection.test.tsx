import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testEnvironment } from "../testing/environment.js";
import { mockApi } from "../testing/mock-api.js";
import { overviewAnswer, overviewRoute } from "../testing/overview.js";
import { renderAt } from "../testing/render.js";
import type { Schedule } from "./api.js";
import { SchedulesSection } from "./SchedulesSection.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const env = testEnvironment;
const base = "/api/v1/environments/production/flags/new-checkout/schedules";
const paused: Schedule = {
  id: 3,
  environment: "production",
  flag: "new-checkout",
  steps: [
    { at: "2026-05-01T09:00:00.000Z", action: "rollout", percentage: 1 },
    { at: "2026-05-01T10:00:00.000Z", action: "rollout", percentage: 5 },
  ],
  nextStep: 1,
  status: "paused",
  pausedReason: "a guard of the flag has tripped",
  log: [{ at: "2026-05-01T09:00:00.000Z", step: 0, outcome: "applied", detail: "Scheduled step 1 of 2" }],
  createdBy: "ana",
  createdAt: "2026-04-30T12:00:00.000Z",
};

function api(role: string, schedules: Schedule[]) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role } },
    "GET /api/v1/environments": { json: { environments: [env("staging", 1), env("production", 2)] } },
    "GET /api/v1/overview": overviewRoute(overviewAnswer([], [{ key: "new-checkout" }])),
    [`GET ${base}`]: { json: { schedules } },
  });
}

describe("SchedulesSection", () => {
  it("lists a flag's schedules with the steps done and next, and why one is paused", async () => {
    api("viewer", [paused]);
    renderAt(<SchedulesSection initialFlag="new-checkout" />);
    const card = await screen.findByRole("article", { name: "Schedule #3" });
    expect(card.textContent).toContain("Paused: a guard of the flag has tripped");
    const steps = within(card).getAllByRole("listitem");
    expect(steps[0]?.textContent).toContain("rollout 1% (done)");
    expect(steps[1]?.textContent).toContain("rollout 5% (next)");
    expect(within(card).queryByRole("button", { name: /Cancel/ })).toBeNull();
    expect(screen.queryByRole("form")).toBeNull();
  });

  it("schedules a ramp 1 → 5 → 25 → 100% and cancels a schedule, as an editor", async () => {
    const mock = api("editor", [paused]);
    mock.routes[`POST ${base}`] = { status: 201, json: { ...paused, id: 4, status: "active" } };
    mock.routes[`DELETE ${base}/3`] = { status: 204, json: undefined };
    renderAt(<SchedulesSection initialFlag="new-checkout" />);
    const form = await screen.findByRole("form", { name: "Schedule new-checkout in production" });
    await userEvent.click(within(form).getByRole("button", { name: /Ramp 1% → 5% → 25% → 100%/ }));
    await userEvent.click(within(form).getByRole("button", { name: "Schedule 4 steps" }));
    await waitFor(() => expect(mock.calls.some((c) => c.method === "POST")).toBe(true));
    const body = mock.calls.find((c) => c.method === "POST")?.body as { steps: { percentage: number }[] };
    expect(body.steps.map((s) => s.percentage)).toEqual([1, 5, 25, 100]);

    await userEvent.click(screen.getByRole("button", { name: "Cancel schedule #3" }));
    await waitFor(() =>
      expect(mock.calls.some((c) => c.method === "DELETE" && c.path === `${base}/3`)).toBe(true),
    );
  });

  it("in an environment that requires approval, says the schedule was filed as a change request", async () => {
    const mock = api("editor", []);
    mock.routes[`POST ${base}`] = {
      status: 202,
      json: {
        changeRequest: {
          id: 12,
          kind: "schedule",
          environment: "production",
          flag: "new-checkout",
          changes: { schedule: [{ at: "2026-05-01T09:00:00.000Z", action: "on" }] },
          baseVersion: 4,
          reason: null,
          status: "pending",
          requestedBy: "ana",
          decidedBy: null,
          decidedAt: null,
          comments: [],
          createdAt: "2026-04-30T12:00:00.000Z",
        },
      },
    };
    renderAt(<SchedulesSection initialFlag="new-checkout" />);
    await screen.findByText("Nothing scheduled for new-checkout in production.");
    await userEvent.click(screen.getByRole("button", { name: "Add a step" }));
    await userEvent.click(screen.getByRole("button", { name: "Schedule 1 step" }));
    const notice = await screen.findByText(/was filed as change request #12/);
    expect(notice.textContent).toContain("production requires approval, so your schedule for new-checkout");
    expect(screen.getByRole("link", { name: "See change request #12" }).getAttribute("href")).toBe(
      "/change-requests?environment=production",
    );
  });

  it("shows a bad step's problem on its row and sends nothing", async () => {
    const mock = api("editor", []);
    renderAt(<SchedulesSection initialFlag="new-checkout" />);
    await screen.findByText("Nothing scheduled for new-checkout in production.");
    await userEvent.click(screen.getByRole("button", { name: "Add a step" }));
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Step 1 action" }), "rollout");
    await userEvent.click(screen.getByRole("button", { name: "Schedule 1 step" }));
    expect(screen.getByText("A rollout serves more than 0% and at most 100%.")).toBeTruthy();
    expect(mock.calls.some((c) => c.method === "POST")).toBe(false);
  });
});
