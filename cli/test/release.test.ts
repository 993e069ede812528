/**
 * `switchyard requests` and `switchyard schedules` against a real server (in process, PGlite in memory,
 * demo data): deciding change requests from a pipeline, and seeing what is scheduled where.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/main.js";
import { admin, sy as run, startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let ana: string; // another editor: her requests the CLI's admin token may decide

beforeAll(async () => {
  server = await startTestServer();
  await admin(server, "POST", "/environments", {
    key: "approvals",
    name: "Approvals",
    requiresApproval: true,
  });
  ana = (
    await admin<{ secret: string }>(server, "POST", "/keys", { name: "ana", kind: "admin", role: "editor" })
  ).secret;
});
afterAll(() => server?.close());

const sy = (...argv: string[]) => run(server, ...argv);

/** Ana asks for a change in the protected environment; returns the change request's id. */
async function anaAsks(flag: string, changes: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/environments/approvals/flags/${flag}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${ana}`, "content-type": "application/json", "if-match": "*" },
    body: JSON.stringify(changes),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { changeRequest: { id: number } }).changeRequest.id;
}

describe("switchyard requests", () => {
  it("lists the pending requests of an environment as a table or JSON", async () => {
    const id = await anaAsks("new-checkout", { on: true });
    const table = await sy("requests", "list", "--env", "approvals");
    expect(table.code).toBe(EXIT.ok);
    const [header, ...rows] = table.out.split("\n");
    expect(header).toMatch(/^ID\s+ENVIRONMENT\s+FLAG\s+STATUS\s+REQUESTED BY\s+CHANGES$/);
    expect(rows).toContainEqual(
      expect.stringMatching(
        new RegExp(`^#${id}\\s+approvals\\s+new-checkout\\s+pending\\s+ana\\s+on \\(turn on\\)$`),
      ),
    );
    const json = JSON.parse((await sy("requests", "list", "--env", "approvals", "--json")).out);
    expect(json.changeRequests).toContainEqual(
      expect.objectContaining({ id, status: "pending", flag: "new-checkout", requestedBy: "ana" }),
    );
    expect((await sy("requests", "list", "--env", "staging")).out).toBe(
      "no pending change requests in staging",
    );
    expect((await sy("requests", "list", "--env", "nowhere")).code).toBe(EXIT.api);
    expect((await sy("requests", "list", "--status", "later")).code).toBe(EXIT.usage);
  });

  it("approves another's request, which applies it", async () => {
    const id = await anaAsks("banner-text", { on: true });
    const approved = await sy("requests", "approve", String(id), "--comment", "ship it");
    expect(approved).toMatchObject({
      code: EXIT.ok,
      out: `change request #${id} applied (banner-text in approvals, by ana)`,
    });
    const state = await admin<{ on: boolean }>(server, "GET", "/environments/approvals/flags/banner-text");
    expect(state.on).toBe(true);
    const request = await admin(server, "GET", `/change-requests/${id}`);
    expect(request).toMatchObject({ status: "applied", comments: [{ text: "ship it" }] });
    const again = await sy("requests", "approve", `#${id}`);
    expect(again.code).toBe(EXIT.api);
    expect(again.err).toContain("409");
  });

  it("refuses self-approval with the server's problem (exit 1)", async () => {
    const filed = await sy("flag", "on", "max-items", "--env", "approvals", "--json");
    expect(filed.code).toBe(EXIT.pending);
    const { changeRequest } = JSON.parse(filed.out);
    const self = await sy("requests", "approve", String(changeRequest));
    expect(self.code).toBe(EXIT.api);
    expect(self.err).toContain("403");
    expect(self.err).toContain("another editor or admin must approve it");
    expect(await admin(server, "GET", `/change-requests/${changeRequest}`)).toMatchObject({
      status: "pending",
    });
  });

  it("rejects with a comment, which it needs; a bad id is a usage mistake", async () => {
    const id = await anaAsks("search-ranking", { on: true });
    const noComment = await sy("requests", "reject", String(id));
    expect(noComment.code).toBe(EXIT.usage);
    expect(noComment.err).toContain("missing --comment");
    const rejected = await sy("requests", "reject", String(id), "--comment", "not this week", "--json");
    expect(rejected.code).toBe(EXIT.ok);
    expect(JSON.parse(rejected.out).changeRequest).toMatchObject({
      id,
      status: "rejected",
      comments: [{ text: "not this week" }],
    });
    expect((await sy("requests", "list", "--status", "rejected", "--json")).out).toContain(`"id": ${id}`);
    expect((await sy("requests", "approve", "twelve")).code).toBe(EXIT.usage);
    expect((await sy("requests", "decide", "1")).code).toBe(EXIT.usage);
    expect((await sy("requests", "approve", "99999")).err).toContain("404");
  });

  it("says a request overtaken by a newer change was not applied (exit 1)", async () => {
    const id = await anaAsks("theme-config", { on: true });
    const kill = await sy("flag", "kill", "theme-config", "--env", "approvals", "--reason", "incident");
    expect(kill.code).toBe(EXIT.ok);
    const approved = await sy("requests", "approve", String(id));
    expect(approved.code).toBe(EXIT.api);
    expect(approved.err).toContain(`change request #${id} not applied`);
    expect(await admin(server, "GET", `/change-requests/${id}`)).toMatchObject({ status: "conflicted" });
  });
});

describe("switchyard schedules", () => {
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  const schedule = (env: string, flag: string, steps: unknown[]) =>
    admin<{ id: number }>(server, "POST", `/environments/${env}/flags/${flag}/schedules`, { steps });

  it("lists what is scheduled in an environment or everywhere, by flag and status", async () => {
    const ramp = await schedule("staging", "new-checkout", [
      { at: inAnHour, action: "rollout", percentage: 5 },
      { at: new Date(Date.now() + 7_200_000).toISOString(), action: "rollout", percentage: 100 },
    ]);
    const off = await schedule("development", "banner-text", [{ at: inAnHour, action: "off" }]);
    const table = await sy("schedules", "list", "--env", "staging");
    expect(table.code).toBe(EXIT.ok);
    expect(table.out.split("\n")).toEqual([
      expect.stringMatching(/^ID\s+ENVIRONMENT\s+FLAG\s+STATUS\s+NEXT$/),
      expect.stringMatching(
        new RegExp(
          `^#${ramp.id}\\s+staging\\s+new-checkout\\s+active\\s+step 1 of 2: rollout 5% at ${inAnHour}$`,
        ),
      ),
    ]);
    const all = JSON.parse((await sy("schedules", "list", "--status", "pending", "--json")).out);
    expect(all.schedules.map((s: { id: number }) => s.id)).toEqual([ramp.id, off.id]);
    const byFlag = JSON.parse((await sy("schedules", "list", "--flag", "banner-text", "--json")).out);
    expect(byFlag.schedules.map((s: { id: number }) => s.id)).toEqual([off.id]);
    expect((await sy("schedules", "list", "--status", "done")).out).toBe("no schedules");
    expect((await sy("schedules", "list", "--env", "nowhere")).code).toBe(EXIT.api);
    expect((await sy("schedules", "list", "--status", "soon")).code).toBe(EXIT.usage);
    expect((await sy("schedules", "show")).code).toBe(EXIT.usage);
  });
});
