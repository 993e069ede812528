import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, type TestServer } from "../../test/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ publicUrl: "https://flags.example.com" });
});
afterAll(() => t.close());

describe("session cookie behind https", () => {
  it("is Secure, HttpOnly and SameSite=Lax when the public URL is https", async () => {
    await t.request(
      "/api/v1/users",
      json(
        "POST",
        { email: "s@example.com", name: "S", role: "viewer", password: "a long password" },
        t.auth(),
      ),
    );
    const login = await t.request(
      "/api/v1/auth/login",
      json("POST", { email: "s@example.com", password: "a long password" }),
    );
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });
});
