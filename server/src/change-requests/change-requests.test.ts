import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
let ana: string; // editor (requester)
let bo: string; // another editor
let viewer: string;
const state = "/api/v1/environments/production/flags/banner-text";

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  const env = await read(await t.request("/api/v1/environments/production", { headers: t.auth() }));
  const protect = await t.request(
    "/api/v1/environments/production",
    json("PATCH", { requiresApproval: true, version: env.version }, t.auth()),
  );
  expect(protect.status).toBe(200);
  ana = await t.createKey("admin", "editor");
  bo = await t.createKey("admin", "editor");
  viewer = await t.createKey("admin", "viewer");
});
afterAll(() => t.close());

const current = async () => read(await t.request(state, { headers: t.auth() }));
const file = async (secret: string, changes: Record<string, unknown>) => {
  const { version } = await current();
  return t.request(
    state,
    json("PATCH", { ...changes, version, reason: "new copy for the sale" }, t.auth(secret)),
  );
};
const decide = (secret: string, id: number, verdict: "approve" | "reject", comment?: string) =>
  t.request(
    `/api/v1/change-requests/${id}/${verdict}`,
    json("POST", comment ? { comment } : {}, t.auth(secret)),
  );

describe("change requests in an environment that requires approval", () => {
  it("files an edit as a request (202) and leaves the flag as it was", async () => {
    const before = await current();
    const res = await file(ana, { offVariation: "sale" });
    expect(res.status).toBe(202);
    const { changeRequest } = await read(res);
    expect(changeRequest).toMatchObject({
      status: "pending",
      environment: "production",
      flag: "banner-text",
      baseVersion: before.version,
    });
    expect((await current()).offVariation).toBe(before.offVariation);
    const pending = await read(
      await t.request("/api/v1/change-requests?status=pending", { headers: t.auth(viewer) }),
    );
    expect(pending.changeRequests.map((r: { id: number }) => r.id)).toContain(changeRequest.id);
  });

  it("refuses self-approval and viewers; another editor's approval applies it, audited with both names", async () => {
    const { changeRequest } = await read(await file(ana, { offVariation: "sale" }));
    const self = await decide(ana, changeRequest.id, "approve");
    expect(self.status).toBe(403);
    expect((await read(self)).detail).toMatch(/another editor or admin must approve/);
    expect((await decide(viewer, changeRequest.id, "approve")).status).toBe(403);

    await t.request(
      `/api/v1/change-requests/${changeRequest.id}/comments`,
      json("POST", { text: "looks right" }, t.auth(viewer)),
    );
    const approved = await decide(bo, changeRequest.id, "approve", "ship it");
    expect(approved.status).toBe(200);
    expect((await read(approved)).changeRequest).toMatchObject({
      status: "applied",
      comments: [{ text: "looks right" }, { text: "ship it" }],
    });
    expect((await current()).offVariation).toBe("sale");
    const audit = await read(
      await t.request("/api/v1/audit?flag=banner-text&environment=production", { headers: t.auth() }),
    );
    expect(audit.entries.map((e: { reason: string | null }) => e.reason)).toContain(
      `Change request #${changeRequest.id} by ${approvedByName(audit)}, approved by ${audit.entries[0].actor.name}: new copy for the sale`,
    );
  });

  it("a request whose base changed meanwhile is marked conflicted, not applied over the newer state", async () => {
    const first = (await read(await file(ana, { offVariation: "welcome" }))).changeRequest;
    const second = (await read(await file(ana, { fallthrough: { variation: "sale" } }))).changeRequest;
    expect((await decide(bo, first.id, "approve")).status).toBe(200);
    const res = await decide(bo, second.id, "approve");
    expect((await read(res)).changeRequest.status).toBe("conflicted");
    expect((await current()).fallthrough).not.toEqual({ variation: "sale" });
  });

  it("is rejected with a comment; kills skip approval entirely", async () => {
    const { changeRequest } = await read(await file(ana, { offVariation: "welcome" }));
    const rejected = await decide(bo, changeRequest.id, "reject", "not during the sale");
    expect((await read(rejected)).changeRequest).toMatchObject({ status: "rejected" });
    expect((await decide(bo, changeRequest.id, "approve")).status).toBe(409);
    const kill = await t.request(`${state}/kill`, json("POST", { reason: "wrong price shown" }, t.auth(ana)));
    expect(kill.status).toBe(200);
    expect((await current()).on).toBe(false);
  });
});

describe("deciding a change request", () => {
  it("takes two approvals at once one after the other: applied once, the second refused", async () => {
    const cy = await t.createKey("admin", "editor");
    const before = await current();
    const { changeRequest } = await read(await file(ana, { offVariation: "sale" }));
    const answers = await Promise.all([
      decide(bo, changeRequest.id, "approve", "from bo"),
      decide(cy, changeRequest.id, "approve", "from cy"),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const after = await current();
    expect(after.version).toBe(before.version + 1);
    const request = await read(
      await t.request(`/api/v1/change-requests/${changeRequest.id}`, { headers: t.auth() }),
    );
    expect(request.status).toBe("applied");
    const audit = await read(await t.request("/api/v1/audit?action=change-request.", { headers: t.auth() }));
    const decisions = audit.entries.filter(
      (e: { action: string; target: { key: string } }) =>
        e.target.key === String(changeRequest.id) && e.action !== "change-request.create",
    );
    expect(decisions.map((e: { action: string }) => e.action)).toEqual(["change-request.approve"]);
  });

  it("is filed during a freeze; approving it waits for the freeze to end", async () => {
    const freeze = "/api/v1/environments/production/freeze";
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await t.request(freeze, json("PUT", { reason: "Black Friday", until }, t.auth()))).status).toBe(
      200,
    );
    try {
      const filed = await file(ana, { offVariation: "welcome" });
      expect(filed.status).toBe(202);
      const { changeRequest } = await read(filed);
      expect((await decide(bo, changeRequest.id, "approve")).status).toBe(423);
      const still = await read(
        await t.request(`/api/v1/change-requests/${changeRequest.id}`, { headers: t.auth() }),
      );
      expect(still.status).toBe("pending");
      await t.request(freeze, { method: "DELETE", headers: t.auth() });
      expect((await read(await decide(bo, changeRequest.id, "approve"))).changeRequest.status).toBe(
        "applied",
      );
    } finally {
      await t.request(freeze, { method: "DELETE", headers: t.auth() });
    }
  });

  it("audits comments, so watchers hear of them", async () => {
    const { changeRequest } = await read(await file(ana, { offVariation: "welcome" }));
    const res = await t.request(
      `/api/v1/change-requests/${changeRequest.id}/comments`,
      json("POST", { text: "can this wait until Monday?" }, t.auth(viewer)),
    );
    expect(res.status).toBe(200);
    const audit = await read(
      await t.request("/api/v1/audit?action=change-request.comment", { headers: t.auth() }),
    );
    expect(audit.entries[0]).toMatchObject({
      target: { type: "change_request", key: String(changeRequest.id) },
      environment: "production",
      flag: "banner-text",
      reason: "can this wait until Monday?",
    });
    await decide(bo, changeRequest.id, "reject", "withdrawn");
  });
});

describe("filing the same change again", () => {
  const items = "/api/v1/environments/production/flags/max-items";
  const put = async (secret: string, fallthrough: { variation: string }) => {
    const {
      version: _v,
      environment: _e,
      flag: _f,
      updatedAt: _u,
      updatedBy: _b,
      ...setup
    } = await read(await t.request(items, { headers: t.auth() }));
    const res = await t.request(
      items,
      json(
        "PUT",
        { ...setup, fallthrough, reason: "switchyard import" },
        { ...t.auth(secret), "if-match": "*" },
      ),
    );
    expect(res.status).toBe(202);
    return (await read(res)).changeRequest as { id: number; status: string };
  };
  const created = async () =>
    (
      await read(
        await t.request("/api/v1/audit?action=change-request.create&flag=max-items", { headers: t.auth() }),
      )
    ).entries.length as number;

  it("reuses the requester's identical open request instead of filing a duplicate", async () => {
    const first = await put(ana, { variation: "large" });
    const again = await put(ana, { variation: "large" });
    expect(again).toMatchObject({ id: first.id, status: "pending" });
    expect(await created()).toBe(1);

    // Another change, or the same change by someone else, is a request of its own.
    expect((await put(ana, { variation: "small" })).id).not.toBe(first.id);
    expect((await put(bo, { variation: "large" })).id).not.toBe(first.id);
    expect(await created()).toBe(3);

    // Once decided, the same change files afresh.
    await decide(bo, first.id, "reject", "not now");
    expect((await put(ana, { variation: "large" })).id).not.toBe(first.id);
  });
});

/** The requester's name as the audit log shows it (the key that filed the request). */
function approvedByName(audit: { entries: { action: string; actor: { name: string } }[] }) {
  return audit.entries.find((e) => e.action === "change-request.create")?.actor.name;
}
