import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlagState } from "../api/types.js";
import { type MockAnswer, mockApi } from "../testing/mock-api.js";
import { promotionSummary } from "../testing/promotion.js";
import { renderAt } from "../testing/render.js";
import type { ChangeRequest } from "./api.js";
import { ChangeRequestsPage } from "./ChangeRequestsPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const production = {
  key: "production",
  name: "production",
  sortOrder: 2,
  color: null,
  corsOrigins: [],
  requiresApproval: true,
  rulesetVersion: 1,
  version: 1,
  createdAt: "",
};
const live: FlagState = {
  flag: "new-checkout",
  environment: "production",
  on: false,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
  version: 4,
  updatedAt: "2026-05-01T10:00:00Z",
  updatedBy: "cy",
};
const request = (overrides: Partial<ChangeRequest> = {}): ChangeRequest => ({
  id: 5,
  environment: "production",
  flag: "new-checkout",
  changes: { on: true },
  baseVersion: 4,
  reason: "launch day",
  status: "pending",
  requestedBy: "ana",
  decidedBy: null,
  decidedAt: null,
  comments: [{ by: "cy", at: "2026-05-01T10:05:00Z", text: "after the 11:00 deploy please" }],
  createdAt: "2026-05-01T10:01:00Z",
  ...overrides,
});

function api(
  me: { name: string; role: string },
  requests: ChangeRequest[],
  extra: Record<string, MockAnswer> = {},
) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", ...me } },
    "GET /api/v1/environments": { json: { environments: [production] } },
    "GET /api/v1/change-requests": { json: { changeRequests: requests } },
    "GET /api/v1/environments/production/flags/new-checkout": { json: live },
    "GET /api/v1/promotions": { json: { promotions: [] } },
    ...extra,
  });
}

describe("ChangeRequestsPage", () => {
  it("shows a pending request's requester, reason, diff against what is live and its comments", async () => {
    api({ name: "bo", role: "editor" }, [request()]);
    renderAt(<ChangeRequestsPage />, "/change-requests");
    const card = await screen.findByRole("article", { name: /#5 new-checkout in production/ });
    expect(card.textContent).toContain("Requested by ana");
    expect(card.textContent).toContain("launch day");
    const diff = await within(card).findByRole("table", { name: /live now → requested/ });
    const row = within(diff).getByRole("row", { name: /^on/ });
    expect(row.textContent).toContain("false");
    expect(row.textContent).toContain("true");
    const comments = within(card).getByRole("list", { name: "Comments on #5" });
    expect(comments.textContent).toContain("after the 11:00 deploy please");
  });

  it("lets another editor approve with a comment, sent with the decision", async () => {
    const mock = api({ name: "bo", role: "editor" }, [request()], {
      "POST /api/v1/change-requests/5/approve": {
        json: { changeRequest: request({ status: "applied", decidedBy: "bo" }), applied: {} },
      },
    });
    renderAt(<ChangeRequestsPage />, "/change-requests");
    const card = await screen.findByRole("article", { name: /#5/ });
    await userEvent.type(within(card).getByRole("textbox", { name: "Comment on #5" }), "looks right");
    await userEvent.click(within(card).getByRole("button", { name: "Approve #5" }));
    await waitFor(() =>
      expect(mock.calls.find((c) => c.path === "/api/v1/change-requests/5/approve")?.body).toEqual({
        comment: "looks right",
      }),
    );
  });

  it("shows the requester no Approve button for their own request, only Reject", async () => {
    api({ name: "ana", role: "editor" }, [request()]);
    renderAt(<ChangeRequestsPage />, "/change-requests");
    const card = await screen.findByRole("article", { name: /#5/ });
    await within(card).findByRole("button", { name: "Reject #5" });
    expect(within(card).queryByRole("button", { name: "Approve #5" })).toBeNull();
    expect(card.textContent).toContain("another editor or admin must approve it");
  });

  it("lets viewers comment but not decide", async () => {
    const mock = api({ name: "vi", role: "viewer" }, [request()], {
      "POST /api/v1/change-requests/5/comments": { json: request() },
    });
    renderAt(<ChangeRequestsPage />, "/change-requests");
    const card = await screen.findByRole("article", { name: /#5/ });
    await within(card).findByText(/Viewers can comment/);
    expect(within(card).queryByRole("button", { name: /Approve|Reject/ })).toBeNull();
    await userEvent.type(within(card).getByRole("textbox", { name: "Comment on #5" }), "why now?");
    await userEvent.click(within(card).getByRole("button", { name: "Add comment" }));
    await waitFor(() =>
      expect(mock.calls.find((c) => c.path === "/api/v1/change-requests/5/comments")?.body).toEqual({
        text: "why now?",
      }),
    );
  });

  it("warns when the flag changed since the request, and lists decided ones apart", async () => {
    api({ name: "bo", role: "editor" }, [
      request({ baseVersion: 3 }),
      request({
        id: 4,
        status: "rejected",
        decidedBy: "bo",
        decidedAt: "2026-05-01T09:00:00Z",
        comments: [],
      }),
    ]);
    renderAt(<ChangeRequestsPage />, "/change-requests");
    const pending = await screen.findByRole("article", { name: /#5/ });
    expect((await within(pending).findByText(/changed since this was requested/)).textContent).toContain(
      "version 3 → 4",
    );
    const decided = screen.getByRole("region", { name: "Decided" });
    const rejected = within(decided).getByRole("article", { name: /#4/ });
    expect(rejected.textContent).toContain("rejected by bo");
    expect(within(rejected).queryByRole("button", { name: /Approve|Reject/ })).toBeNull();
  });

  it("shows a schedule request's steps with their times, and approves it", async () => {
    const steps = [
      { at: "2026-05-01T09:00:00.000Z", action: "rollout", percentage: 5 },
      { at: "2026-05-01T12:00:00.000Z", action: "off" },
    ];
    const schedule = request({
      id: 8,
      kind: "schedule",
      changes: { schedule: steps } as ChangeRequest["changes"],
    });
    const mock = api({ name: "bo", role: "editor" }, [schedule], {
      "POST /api/v1/change-requests/8/approve": {
        json: { changeRequest: { ...schedule, status: "applied" } },
      },
    });
    renderAt(<ChangeRequestsPage />, "/change-requests");
    const card = await screen.findByRole("article", { name: /#8 Schedule for new-checkout/ });
    const table = within(card).getByRole("table", { name: /Scheduled steps/ });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      `1${new Date(steps[0]?.at ?? "").toLocaleString()}rollout 5%`,
      `2${new Date(steps[1]?.at ?? "").toLocaleString()}turn off`,
    ]);
    await userEvent.click(await within(card).findByRole("button", { name: "Approve #8" }));
    await waitFor(() => expect(mock.calls.some((c) => c.path.endsWith("/8/approve"))).toBe(true));
  });

  it("lists promotions waiting for approval beside the requests, and opens one's review", async () => {
    const pending = promotionSummary({ id: 3, selector: { flags: ["new-checkout"] } });
    const soaking = promotionSummary({ id: 4, gate: { type: "soak", minutes: 30 } });
    api({ name: "bo", role: "editor" }, [], {
      "GET /api/v1/promotions": { json: { promotions: [pending, soaking] } },
      "GET /api/v1/promotions/3": {
        json: {
          ...pending,
          previewHash: "h",
          preview: { blocked: false, hash: "h", problems: [], targets: [] },
          gateRecord: [],
        },
      },
    });
    renderAt(<ChangeRequestsPage />, "/change-requests?environment=production");
    const section = await screen.findByRole("region", { name: "Promotions waiting for approval (1)" });
    expect(section.textContent).toContain("new-checkout: staging → production · manual approval");
    await userEvent.click(within(section).getByRole("button", { name: "Review #3" }));
    const review = await within(section).findByRole("region", { name: "Promotion #3" });
    expect(await within(review).findByRole("button", { name: "Approve #3" })).toBeTruthy();
    expect(within(review).getByRole("list", { name: "Gates of promotion #3" }).textContent).toContain(
      "Waits for another editor or admin to approve it.",
    );
  });

  it("lists one environment's requests when the URL names it", async () => {
    const mock = api({ name: "bo", role: "editor" }, []);
    renderAt(<ChangeRequestsPage />, "/change-requests?environment=production");
    await screen.findByText("Nothing is waiting for approval.");
    expect(mock.calls.find((c) => c.path === "/api/v1/change-requests")?.search).toBe(
      "?environment=production",
    );
  });
});
