import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { StateFields } from "../api/types.js";
import { jsonResponse, type MockAnswer, mockApi, problemResponse } from "../testing/mock-api.js";
import { overviewAnswer, overviewRoute } from "../testing/overview.js";
import { promotionSummary } from "../testing/promotion.js";
import { renderAt } from "../testing/render.js";
import type { Preview, PromotionDetail } from "./api.js";
import { ReleasePage } from "./ReleasePage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const env = (key: string, sortOrder: number, requiresApproval = false) => ({
  key,
  name: key,
  sortOrder,
  color: null,
  corsOrigins: [],
  requiresApproval,
  rulesetVersion: 1,
  version: 1,
  createdAt: "",
});
const hash = "a".repeat(64);
const setup = (overrides: Partial<StateFields> = {}): StateFields => ({
  on: true,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
  ...overrides,
});
const preview = (overrides: Partial<Preview> = {}): Preview => ({
  blocked: false,
  hash,
  problems: [],
  targets: [
    {
      environment: "production",
      flags: [
        {
          flag: "new-checkout",
          before: { ...setup(), version: 3 },
          after: setup({ fallthrough: { variation: "on" } }),
          changes: ["fallthrough: off → on"],
          unchanged: false,
        },
      ],
    },
  ],
  ...overrides,
});
const promotion = (overrides: Partial<PromotionDetail> = {}): PromotionDetail => ({
  ...promotionSummary(),
  previewHash: hash,
  preview: preview(),
  gateRecord: [],
  ...overrides,
});

function api(
  me: { name: string; role: string },
  routes: Record<string, MockAnswer> = {},
  environments = [env("staging", 1), env("production", 2)],
) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", ...me } },
    "GET /api/v1/environments": { json: { environments } },
    "GET /api/v1/overview": overviewRoute(overviewAnswer([], [])),
    "GET /api/v1/promotions/pipeline": { json: { environments: [], flags: [] } },
    "GET /api/v1/promotions": { json: { promotions: [] } },
    "POST /api/v1/promotions/preview": { json: preview() },
    ...routes,
  });
}
const ana = { name: "ana", role: "editor" };
const bo = { name: "bo", role: "editor" };
const posted = (mock: ReturnType<typeof api>, path: string) =>
  mock.calls.find((c) => c.method === "POST" && c.path === path);

async function waitForEnvironments() {
  await screen.findByRole("option", { name: "staging" });
}

describe("promoting from the release screen", () => {
  it("previews a release tag first, then requests an approval for exactly what was previewed", async () => {
    const mock = api(ana, { "POST /api/v1/promotions": { status: 201, json: { id: 7, status: "pending" } } });
    renderAt(<ReleasePage />, "/release");
    await waitForEnvironments();
    await userEvent.type(screen.getByRole("combobox", { name: "Release tag" }), "release-42");
    await userEvent.click(screen.getByRole("button", { name: "Preview promotion" }));
    const panel = await screen.findByRole("region", { name: "Promotion preview" });
    expect(within(panel).getByText("fallthrough: off → on")).toBeTruthy();
    expect(within(panel).getByRole("table", { name: /before → after/ }).textContent).toContain("fallthrough");
    await userEvent.type(within(panel).getByRole("textbox", { name: /Reason/ }), "release 42");
    await userEvent.click(within(panel).getByRole("button", { name: "Request approval" }));
    await waitFor(() => expect(posted(mock, "/api/v1/promotions")).toBeDefined());
    expect(posted(mock, "/api/v1/promotions")?.body).toEqual({
      from: "staging",
      to: ["production"],
      tag: "release-42",
      expectedPreview: hash,
      gate: { type: "approval" },
      reason: "release 42",
    });
    expect((await screen.findByRole("status")).textContent).toContain("Promotion #7 is pending");
  });

  it("promotes a chosen set of flags to several environments through a soak gate", async () => {
    const mock = api(
      ana,
      {
        "GET /api/v1/overview": overviewRoute(overviewAnswer([], [{ key: "a" }, { key: "b" }, { key: "c" }])),
        "POST /api/v1/promotions": { status: 201, json: { id: 8, status: "pending" } },
      },
      [env("staging", 1), env("production", 2), env("eu", 3)],
    );
    renderAt(<ReleasePage />, "/release");
    await waitForEnvironments();
    await userEvent.click(screen.getByRole("radio", { name: "Chosen flags" }));
    await userEvent.click(await screen.findByRole("checkbox", { name: "a" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "c" }));
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "From" }), "staging");
    await userEvent.click(screen.getByRole("checkbox", { name: "production" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "eu" }));
    await userEvent.click(screen.getByRole("button", { name: "Preview promotion" }));
    await waitFor(() => expect(posted(mock, "/api/v1/promotions/preview")).toBeDefined());
    expect(posted(mock, "/api/v1/promotions/preview")?.body).toEqual({
      from: "staging",
      to: ["eu"],
      flags: ["a", "c"],
    });

    await userEvent.click(screen.getByRole("checkbox", { name: "production" }));
    await userEvent.click(screen.getByRole("button", { name: "Preview promotion" }));
    const panel = await screen.findByRole("region", { name: "Promotion preview" });
    await within(panel).findByText("fallthrough: off → on");
    const minutes = within(panel).getByRole("spinbutton", { name: "Soak minutes" });
    await userEvent.clear(minutes);
    await userEvent.type(minutes, "30");
    const rate = within(panel).getByRole("spinbutton", { name: /mismatch rate/ });
    await userEvent.clear(rate);
    await userEvent.type(rate, "0.5");
    await userEvent.click(within(panel).getByRole("button", { name: "Promote after soak" }));
    await waitFor(() => expect(posted(mock, "/api/v1/promotions")).toBeDefined());
    expect(posted(mock, "/api/v1/promotions")?.body).toEqual({
      from: "staging",
      to: ["eu", "production"],
      flags: ["a", "c"],
      expectedPreview: hash,
      gate: { type: "soak", minutes: 30, maxMismatchRate: 0.005 },
    });
  });

  it("opens the overview's promote link with the flag and environments chosen, previewed at once", async () => {
    const mock = api(ana);
    renderAt(<ReleasePage />, "/release?flag=new-checkout&from=staging&to=production");
    await screen.findByRole("region", { name: "Promotion preview" });
    expect(posted(mock, "/api/v1/promotions/preview")?.body).toEqual({
      from: "staging",
      to: ["production"],
      flags: ["new-checkout"],
    });
    expect((screen.getByRole("radio", { name: "One flag" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("combobox", { name: "Flag" }) as HTMLInputElement).value).toBe("new-checkout");
    expect(((await screen.findByRole("checkbox", { name: "production" })) as HTMLInputElement).checked).toBe(
      true,
    );
  });

  it("into an environment that requires approval, offers no Promote now", async () => {
    api(ana, {}, [env("staging", 1), env("production", 2, true)]);
    renderAt(<ReleasePage />, "/release?tag=checkout&from=staging&to=production");
    const panel = await screen.findByRole("region", { name: "Promotion preview" });
    await within(panel).findByRole("button", { name: "Request approval" });
    expect(within(panel).queryByRole("button", { name: "Promote now" })).toBeNull();
    expect(panel.textContent).toContain("production requires approval");
  });

  it("shows what blocks a promotion and offers no button then", async () => {
    api(ana, {
      "POST /api/v1/promotions/preview": {
        json: preview({
          blocked: true,
          problems: [
            {
              environment: "production",
              flag: "new-checkout",
              kind: "missing-segment",
              message: 'segment "beta" does not exist in production',
            },
          ],
        }),
      },
    });
    renderAt(<ReleasePage />, "/release?tag=beta&from=staging&to=production");
    expect((await screen.findByRole("alert")).textContent).toContain('segment "beta" does not exist');
    expect(screen.queryByRole("button", { name: "Promote now" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Request approval" })).toBeNull();
  });

  it("when the setups changed since the preview (409), says so and previews again", async () => {
    let previews = 0;
    const mock = api(ana, {
      "POST /api/v1/promotions/preview": () => {
        previews++;
        return new Response(JSON.stringify(preview()), { headers: { "content-type": "application/json" } });
      },
      "POST /api/v1/promotions": () =>
        problemResponse({ status: 409, title: "Conflict", detail: "The source or target setups changed." }),
    });
    renderAt(<ReleasePage />, "/release?tag=checkout&from=staging&to=production");
    const panel = await screen.findByRole("region", { name: "Promotion preview" });
    await userEvent.click(await within(panel).findByRole("button", { name: "Promote now" }));
    expect((await within(panel).findByRole("alert")).textContent).toContain(
      "The source or target setups changed.",
    );
    expect(within(panel).queryByRole("button", { name: "Promote now" })).toBeNull();
    await userEvent.click(within(panel).getByRole("button", { name: "Preview again" }));
    await waitFor(() => expect(previews).toBe(2));
    expect(mock.calls.filter((c) => c.method === "POST" && c.path === "/api/v1/promotions").length).toBe(1);
  });

  it("a promotion refused by a freeze shows the server's message; an admin overrides with a reason", async () => {
    const mock = api(
      { name: "ada", role: "admin" },
      {
        "POST /api/v1/promotions": (call) =>
          call.headers.get("x-switchyard-freeze-override")
            ? new Response(JSON.stringify({ id: 9, status: "applied" }), { status: 201 })
            : problemResponse({
                status: 423,
                title: "Environment frozen",
                detail: "production is frozen until 2026-11-28T00:00:00.000Z (Black Friday).",
              }),
      },
    );
    renderAt(<ReleasePage />, "/release?tag=checkout&from=staging&to=production");
    const panel = await screen.findByRole("region", { name: "Promotion preview" });
    await userEvent.click(await within(panel).findByRole("button", { name: "Promote now" }));
    expect((await within(panel).findByRole("alert")).textContent).toContain("(Black Friday)");
    await userEvent.type(within(panel).getByRole("textbox", { name: "Override reason" }), "INC-7 fix");
    await userEvent.click(within(panel).getByRole("button", { name: "Override the freeze" }));
    expect((await screen.findByRole("status")).textContent).toContain("Promotion #9 applied");
    const sent = mock.calls.filter((c) => c.path === "/api/v1/promotions" && c.method === "POST");
    expect(sent.map((c) => c.headers.get("x-switchyard-freeze-override"))).toEqual([null, "INC-7 fix"]);
  });
});

describe("the pipeline", () => {
  it("shows what would block promoting a flag into an environment", async () => {
    api(ana, {
      "GET /api/v1/promotions/pipeline": {
        json: {
          environments: [
            { key: "staging", name: "staging" },
            { key: "production", name: "production" },
          ],
          flags: [
            {
              flag: "new-checkout",
              name: "new-checkout",
              tags: [],
              inSync: false,
              environments: [
                {
                  environment: "staging",
                  on: true,
                  sameAsPrevious: null,
                  promote: null,
                  pendingPromotion: null,
                },
                {
                  environment: "production",
                  on: false,
                  sameAsPrevious: false,
                  promote: {
                    from: "staging",
                    to: "production",
                    blockedBy: ['segment "beta" does not exist in production'],
                  },
                  pendingPromotion: null,
                },
              ],
            },
          ],
        },
      },
    });
    renderAt(<ReleasePage />, "/release");
    const blocked = await screen.findByRole("list", {
      name: "What blocks promoting new-checkout to production",
    });
    expect(blocked.textContent).toBe('Blocked: segment "beta" does not exist in production');
    expect(
      screen.getByRole("button", { name: "Promote new-checkout from staging to production" }),
    ).toBeTruthy();
  });
});

describe("deciding on a promotion", () => {
  const reviewing = (detail: PromotionDetail, me = bo, routes: Record<string, MockAnswer> = {}) => {
    const mock = api(me, {
      "GET /api/v1/promotions": { json: { promotions: [detail] } },
      [`GET /api/v1/promotions/${detail.id}`]: { json: detail },
      ...routes,
    });
    renderAt(<ReleasePage />, "/release");
    return mock;
  };
  const openReview = async (id = 7) => {
    await userEvent.click(await screen.findByRole("button", { name: `Review #${id}` }));
    return screen.findByRole("region", { name: `Promotion #${id}` });
  };

  it("shows the approver the diff and the gate, and approves with a comment", async () => {
    const mock = reviewing(promotion(), bo, {
      "POST /api/v1/promotions/7/approve": { json: { id: 7, status: "applied" } },
    });
    const review = await openReview();
    expect(await within(review).findByText("fallthrough: off → on")).toBeTruthy();
    expect(review.textContent).toContain("gate: manual approval");
    expect(review.textContent).toContain("requested by ana");
    await userEvent.type(within(review).getByRole("textbox", { name: "Comment" }), "checked the rollout");
    await userEvent.click(within(review).getByRole("button", { name: "Approve #7" }));
    await waitFor(() =>
      expect(posted(mock, "/api/v1/promotions/7/approve")?.body).toEqual({ comment: "checked the rollout" }),
    );
  });

  it("rejects only with a comment saying why, and sends that comment", async () => {
    const mock = reviewing(promotion(), bo, {
      "POST /api/v1/promotions/7/reject": { json: { id: 7, status: "rejected" } },
    });
    const review = await openReview();
    await userEvent.click(await within(review).findByRole("button", { name: "Reject #7" }));
    expect(within(review).getByText("Say why it is rejected.")).toBeTruthy();
    expect(posted(mock, "/api/v1/promotions/7/reject")).toBeUndefined();
    await userEvent.type(within(review).getByRole("textbox", { name: "Comment" }), "wait for the fix in 4.2");
    await userEvent.click(within(review).getByRole("button", { name: "Reject #7" }));
    await waitFor(() =>
      expect(posted(mock, "/api/v1/promotions/7/reject")?.body).toEqual({
        comment: "wait for the fix in 4.2",
      }),
    );
  });

  it("offers the requester no Approve for their own promotion", async () => {
    reviewing(promotion(), ana);
    const review = await openReview();
    await within(review).findByText(/another editor or admin must approve it/);
    expect(within(review).queryByRole("button", { name: "Approve #7" })).toBeNull();
  });

  it("offers no Approve for a soak-gated promotion, which applies by itself", async () => {
    reviewing(promotion({ gate: { type: "soak", minutes: 60, maxMismatchRate: 0.01 } }));
    const review = await openReview();
    expect((await within(review).findByText(/Applies by itself/)).textContent).toContain("for 60 minutes");
    expect(within(review).queryByRole("button", { name: "Approve #7" })).toBeNull();
    expect(within(review).getByRole("button", { name: "Reject #7" })).toBeTruthy();
  });

  it("after a 409 because a target changed, shows the new preview and approves exactly that", async () => {
    const newer = preview({
      hash: "b".repeat(64),
      targets: [
        {
          environment: "production",
          flags: [
            {
              flag: "new-checkout",
              before: { ...setup({ on: false }), version: 4 },
              after: setup({ fallthrough: { variation: "on" } }),
              changes: ["turned on", "fallthrough: off → on"],
              unchanged: false,
            },
          ],
        },
      ],
    });
    const mock = reviewing(promotion(), bo, {
      "POST /api/v1/promotions/7/approve": (call) =>
        (call.body as { expectedPreview?: string }).expectedPreview === newer.hash
          ? jsonResponse({ id: 7, status: "applied" })
          : problemResponse({
              status: 409,
              title: "Conflict",
              detail: "new-checkout in production changed since this promotion was previewed.",
              current: newer,
            }),
    });
    const review = await openReview();
    await userEvent.click(await within(review).findByRole("button", { name: "Approve #7" }));
    const region = await within(review).findByRole("region", { name: "New preview of promotion #7" });
    expect(region.textContent).toContain(
      "new-checkout in production changed since this promotion was previewed.",
    );
    expect(within(region).getByText("turned on")).toBeTruthy();
    await userEvent.click(within(region).getByRole("button", { name: "Approve the new preview" }));
    await waitFor(() =>
      expect(mock.calls.filter((c) => c.path === "/api/v1/promotions/7/approve").at(-1)?.body).toEqual({
        expectedPreview: newer.hash,
      }),
    );
  });

  it("shows which gate passed and what a soak-and-approval promotion still waits for", async () => {
    const updatedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const staging = "/api/v1/environments/staging/flags/new-checkout";
    reviewing(
      promotion({
        gate: { type: "soak", minutes: 30, maxMismatchRate: 0.02, approval: true },
        preview: preview({ sourceVersions: { "new-checkout": 6 } }),
      }),
      bo,
      {
        [`GET ${staging}`]: {
          json: {
            ...setup(),
            flag: "new-checkout",
            environment: "staging",
            version: 6,
            updatedAt,
            updatedBy: "ana",
          },
        },
        [`GET ${staging}/guards`]: { json: { guards: [{ metric: "mismatch_rate", status: "tripped" }] } },
        [`GET ${staging}/shadow`]: { json: { totals: { mismatchRate: 0.005 }, series: [], samples: [] } },
      },
    );
    const review = await openReview();
    const gates = await within(review).findByRole("list", { name: "Gates of promotion #7" });
    await waitFor(() => expect(within(gates).getAllByRole("listitem")).toHaveLength(4));
    const items = within(gates)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items[0]).toBe("Waiting: Waits for another editor or admin to approve it.");
    expect(items[1]).toMatch(/^Waiting: "new-checkout" live in staging for 10 of 30 minutes: soaked at /);
    expect(items[2]).toBe(
      'Waiting: A guard of "new-checkout" is tripped in staging: waits until it is re-armed.',
    );
    expect(items[3]).toBe(
      'Passed: Shadow mismatches of "new-checkout" since then: 0.5% (within the limit of 2%).',
    );
    // It also waits for an approval, so another editor may give it.
    expect(within(review).getByRole("button", { name: "Approve #7" })).toBeTruthy();
  });

  it("shows the gate record: who passed which gate when, with their comment", async () => {
    reviewing(
      promotion({
        status: "applied",
        appliedBy: "bo",
        gateRecord: [
          {
            gate: "approval",
            outcome: "passed",
            by: "bo",
            at: "2026-05-01T11:00:00Z",
            comment: "checked the rollout",
            details: null,
          },
        ],
      }),
    );
    const review = await openReview();
    const record = await within(review).findByRole("table", { name: "Gate record" });
    const row = within(record).getAllByRole("row")[1];
    expect(row?.textContent).toContain("approval");
    expect(row?.textContent).toContain("passed");
    expect(row?.textContent).toContain("checked the rollout");
  });

  it("reverts only after confirming; after a 409 shows what changed since and offers force", async () => {
    let reverts = 0;
    const mock = reviewing(promotion({ status: "applied", appliedBy: "bo" }), bo, {
      "POST /api/v1/promotions/7/revert": () =>
        ++reverts === 1
          ? problemResponse({
              status: 409,
              title: "Conflict",
              detail: 'Flag "new-checkout" in production was changed after the promotion.',
              current: {
                ...setup({ fallthrough: { variation: "on" }, on: false }),
                flag: "new-checkout",
                environment: "production",
                version: 9,
                updatedAt: "",
                updatedBy: "cy",
              },
            })
          : new Response(JSON.stringify({ id: 7, status: "reverted" }), { status: 200 }),
    });
    const review = await openReview();
    await userEvent.click(await within(review).findByRole("button", { name: "Revert #7…" }));
    const dialog = screen.getByRole("dialog", { name: "Revert promotion #7?" });
    expect(posted(mock, "/api/v1/promotions/7/revert")).toBeUndefined();
    await userEvent.click(within(dialog).getByRole("button", { name: "Revert #7" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toContain("was changed after the promotion");
    const changed = within(alert).getByRole("table", {
      name: /what the promotion wrote → now \(changed by cy\)/,
    });
    expect(within(changed).getByRole("row", { name: /^on/ })).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: /Revert anyway/ }));
    await waitFor(() => expect(reverts).toBe(2));
    const bodies = mock.calls.filter((c) => c.path === "/api/v1/promotions/7/revert").map((c) => c.body);
    expect(bodies).toEqual([{}, { force: true }]);
  });
});
