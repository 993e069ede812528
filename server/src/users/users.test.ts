import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
});
afterAll(() => t.close());

describe("users", () => {
  it("adds users with a password or a setup link, changes roles and disables", async () => {
    const created = await read(
      await t.request(
        "/api/v1/users",
        json(
          "POST",
          { email: "ed@example.com", name: "Ed", role: "editor", password: "a long password" },
          t.auth(),
        ),
      ),
    );
    expect(created.user).toMatchObject({
      email: "ed@example.com",
      role: "editor",
      passwordSet: true,
      version: 1,
    });
    expect(created.setupUrl).toBeUndefined();
    const dup = await t.request(
      "/api/v1/users",
      json("POST", { email: "ED@example.com", name: "Ed", role: "viewer" }, t.auth()),
    );
    expect(dup.status).toBe(409);
    const short = await t.request(
      "/api/v1/users",
      json("POST", { email: "x@example.com", name: "X", role: "viewer", password: "short" }, t.auth()),
    );
    expect((await read(short)).errors[0].path).toBe("password");

    const id = created.user.id;
    const login = await t.request(
      "/api/v1/auth/login",
      json("POST", { email: "ed@example.com", password: "a long password" }),
    );
    const session = { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
    const promoted = await t.request(
      `/api/v1/users/${id}`,
      json("PATCH", { role: "viewer" }, { ...t.auth(), "if-match": '"1"' }),
    );
    expect((await read(promoted)).user.role).toBe("viewer");
    expect((await read(await t.request("/api/v1/auth/me", { headers: session }))).role).toBe("viewer");
    const disabled = await t.request(
      `/api/v1/users/${id}`,
      json("PATCH", { disabled: true, version: 2 }, t.auth()),
    );
    expect((await read(disabled)).user.disabled).toBe(true);
    expect((await t.request("/api/v1/auth/me", { headers: session })).status).toBe(401);
    expect(await read(await t.request(`/api/v1/users/${id}`, { headers: t.auth() }))).toMatchObject({
      disabled: true,
      version: 3,
    });
    const list = await read(await t.request("/api/v1/users", { headers: t.auth() }));
    expect(list.users.map((u: { email: string }) => u.email)).toContain("ed@example.com");
    const link = await read(
      await t.request(`/api/v1/users/${id}/setup-link`, { method: "POST", headers: t.auth() }),
    );
    expect(link.setupUrl).toMatch(/^http:\/\/localhost:4000\/setup\?token=/);
  });

  it("never demotes the last active admin", async () => {
    const only = await read(
      await t.request(
        "/api/v1/users",
        json(
          "POST",
          { email: "boss@example.com", name: "Boss", role: "admin", password: "a long password" },
          t.auth(),
        ),
      ),
    );
    const res = await t.request(
      `/api/v1/users/${only.user.id}`,
      json("PATCH", { role: "viewer", version: 1 }, t.auth()),
    );
    expect(res.status).toBe(400);
    expect((await read(res)).errors[0]).toEqual({ path: "role", message: "this is the last active admin" });
  });
});
