import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
let editor: string;
/** The server's clock: the real one unless a test sets it. */
let clock: Date | undefined;
const state = "/api/v1/environments/production/flags/new-checkout";
const until = () => new Date(Date.now() + 3_600_000).toISOString();

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => clock ?? new Date() });
  editor = await t.createKey("admin", "editor");
});
afterAll(() => t.close());

const freeze = (body: unknown, secret = t.adminToken) =>
  t.request("/api/v1/environments/production/freeze", json("PUT", body, t.auth(secret)));
const edit = (headers: Record<string, string> = t.auth(editor)) =>
  t.request(state, json("PATCH", { on: true }, { ...headers, "if-match": "*" }));

describe("change freezes", () => {
  it("only admins freeze, with a reason and an end in the future; bad input names the field", async () => {
    expect((await freeze({ reason: "release week", until: until() }, editor)).status).toBe(403);
    const past = await freeze({ reason: "x", until: "2001-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect(JSON.stringify(await read(past))).toContain("until");
    const noReason = await freeze({ reason: "", until: until() });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(await read(noReason))).toContain("reason");
  });

  it("refuses writes with 423 and says why and until when; other environments are not affected", async () => {
    expect((await freeze({ reason: "Black Friday", until: until() })).status).toBe(200);
    const refused = await edit();
    expect(refused.status).toBe(423);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const problem = await read(refused);
    expect(problem.freeze).toMatchObject({ environment: "production", reason: "Black Friday" });
    expect(problem.detail).toMatch(/frozen until .* \(Black Friday\)/);
    const staging = await t.request(
      "/api/v1/environments/staging/flags/new-checkout",
      json("PATCH", { on: true }, { ...t.auth(editor), "if-match": "*" }),
    );
    expect(staging.status).toBe(200);
    const listed = await read(await t.request("/api/v1/freezes", { headers: t.auth(editor) }));
    expect(listed.freezes).toEqual([
      expect.objectContaining({ environment: "production", reason: "Black Friday" }),
    ]);
  });

  it("still lets anyone with the right role kill, and incidents through", async () => {
    const kill = await t.request(`${state}/kill`, json("POST", { reason: "errors" }, t.auth(editor)));
    expect(kill.status).toBe(200);
    const incident = await t.request(
      "/api/v1/environments/production/incident",
      json("POST", { tag: "checkout", reason: "outage" }, t.auth(editor)),
    );
    expect(incident.status).toBe(200);
  });

  it("lets an admin override with a reason, recorded in the audit entry; an editor's override does not count", async () => {
    const notAdmin = await edit({ ...t.auth(editor), "x-switchyard-freeze-override": "please" });
    expect(notAdmin.status).toBe(423);
    const admin = await edit({ ...t.auth(), "x-switchyard-freeze-override": "hotfix for INC-42" });
    expect(admin.status).toBe(200);
    const audit = await read(
      await t.request("/api/v1/audit?flag=new-checkout&environment=production&action=flag_state.update", {
        headers: t.auth(),
      }),
    );
    expect(audit.entries[0].reason).toContain("[freeze override: hotfix for INC-42]");
  });

  it("is lifted by an admin, and the start and end are in the audit log", async () => {
    expect(
      (await t.request("/api/v1/environments/production/freeze", { method: "DELETE", headers: t.auth() }))
        .status,
    ).toBe(204);
    expect((await edit()).status).toBe(200);
    const audit = await read(await t.request("/api/v1/audit?environment=production", { headers: t.auth() }));
    const actions = audit.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["freeze.start", "freeze.end"]));
  });

  it("starts and ends by the server's clock, not the database's", async () => {
    // Years before the database's now(): by its own clock this freeze would have ended long ago.
    clock = new Date("2001-03-01T09:00:00Z");
    try {
      expect((await freeze({ reason: "audit", until: "2001-03-02T09:00:00Z" })).status).toBe(200);
      expect((await edit()).status).toBe(423);
      const listed = await read(await t.request("/api/v1/freezes", { headers: t.auth(editor) }));
      expect(listed.freezes).toEqual([
        expect.objectContaining({ environment: "production", reason: "audit" }),
      ]);

      clock = new Date("2001-03-02T09:00:01Z");
      expect((await edit()).status).toBe(200);
      expect((await read(await t.request("/api/v1/freezes", { headers: t.auth(editor) }))).freezes).toEqual(
        [],
      );
    } finally {
      clock = undefined;
    }
  });
});
