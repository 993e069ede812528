import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

describe("who may do what on /api/v1", () => {
  it("lets a viewer read but not write", async () => {
    const viewer = await t.createKey("admin", "viewer");
    expect((await t.request("/api/v1/flags", { headers: t.auth(viewer) })).status).toBe(200);
    const write = await t.request(
      "/api/v1/flags",
      json("POST", { key: "x", name: "x", kind: "boolean" }, t.auth(viewer)),
    );
    expect(write.status).toBe(403);
    const kill = await t.request(
      "/api/v1/environments/production/flags/new-checkout/kill",
      json("POST", { reason: "r" }, t.auth(viewer)),
    );
    expect(kill.status).toBe(403);
  });

  it("lets an editor write flags but not manage keys, users or environments", async () => {
    const editor = await t.createKey("admin", "editor");
    const create = await t.request(
      "/api/v1/flags",
      json("POST", { key: "ed-flag", name: "x", kind: "boolean" }, t.auth(editor)),
    );
    expect(create.status).toBe(201);
    expect((await t.request("/api/v1/keys", { headers: t.auth(editor) })).status).toBe(403);
    expect((await t.request("/api/v1/users", { headers: t.auth(editor) })).status).toBe(403);
    const env = await t.request(
      "/api/v1/environments",
      json("POST", { key: "qa", name: "QA" }, t.auth(editor)),
    );
    expect(env.status).toBe(403);
  });

  it("refuses SDK keys on the admin API with 403", async () => {
    for (const kind of ["server", "client"] as const) {
      const key = await t.createKey(kind, "staging");
      const res = await t.request("/api/v1/flags", { headers: t.auth(key) });
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("answers 401 for no credentials, a bad key and a revoked key", async () => {
    expect((await t.request("/api/v1/flags")).status).toBe(401);
    expect((await t.request("/api/v1/flags", { headers: t.auth("sy_admin_nonsense") })).status).toBe(401);
    const created = await read(
      await t.request("/api/v1/keys", json("POST", { name: "ci", kind: "admin", role: "editor" }, t.auth())),
    );
    expect(created.secret).toMatch(/^sy_admin_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.secret.slice(0, 16));
    expect((await t.request("/api/v1/flags", { headers: t.auth(created.secret) })).status).toBe(200);
    const list = await read(await t.request("/api/v1/keys", { headers: t.auth() }));
    expect(JSON.stringify(list)).not.toContain(created.secret);
    expect(
      (await t.request(`/api/v1/keys/${created.id}`, { method: "DELETE", headers: t.auth() })).status,
    ).toBe(200);
    expect((await t.request("/api/v1/flags", { headers: t.auth(created.secret) })).status).toBe(401);
    const withRevoked = await read(
      await t.request("/api/v1/keys?includeRevoked=true", { headers: t.auth() }),
    );
    expect(withRevoked.keys.find((k: { id: number }) => k.id === created.id).revokedAt).not.toBeNull();
  });

  it("logs a user in with a password through the one-time setup link, and out", async () => {
    const made = await read(
      await t.request(
        "/api/v1/users",
        json("POST", { email: "Vi@example.com", name: "Vi", role: "viewer" }, t.auth()),
      ),
    );
    const token = new URL(made.setupUrl).searchParams.get("token");
    expect((await t.request(`/api/v1/auth/setup?token=${token}`)).status).toBe(200);
    const setup = await t.request(
      "/api/v1/auth/setup",
      json("POST", { token, password: "correct horse battery" }),
    );
    expect(setup.status).toBe(200);
    expect(
      (await t.request("/api/v1/auth/setup", json("POST", { token, password: "correct horse battery" })))
        .status,
    ).toBe(404);
    const wrong = await t.request(
      "/api/v1/auth/login",
      json("POST", { email: "vi@example.com", password: "nope" }),
    );
    expect(wrong.status).toBe(401);
    const login = await t.request(
      "/api/v1/auth/login",
      json("POST", { email: "vi@example.com", password: "correct horse battery" }),
    );
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/sy_session=.+HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = { cookie: cookie.split(";")[0] ?? "" };
    expect(await read(await t.request("/api/v1/auth/me", { headers: session }))).toMatchObject({
      type: "user",
      role: "viewer",
    });
    const write = await t.request(
      "/api/v1/flags",
      json("POST", { key: "v", name: "v", kind: "boolean" }, session),
    );
    expect(write.status).toBe(403);
    await t.request("/api/v1/auth/logout", { method: "POST", headers: session });
    expect((await t.request("/api/v1/auth/me", { headers: session })).status).toBe(401);
  });
});
