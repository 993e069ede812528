import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../test/harness.js";
import { SYSTEM_ACTOR } from "../auth/actor.js";
import { createEnvironment } from "../environments/store.js";
import { keyResolverFor } from "./resolve.js";
import { revokeKey } from "./store.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
  await createEnvironment(t.deps, SYSTEM_ACTOR, { key: "staging", name: "Staging" });
});
afterAll(() => t.close());

describe("key resolver", () => {
  it("resolves a server key to its environment, caches it, and forgets it when revoked", async () => {
    const secret = await t.createKey("server", "staging");
    const resolver = keyResolverFor(t.deps);
    const key = await resolver.resolve(secret);
    expect(key).toMatchObject({ kind: "server", environment: "staging", role: null });
    // Served from the cache: even a direct row change is not seen until a keys event.
    await t.deps.db
      .updateTable("api_keys")
      .set({ name: "renamed" })
      .where("id", "=", key?.id ?? 0)
      .execute();
    expect((await resolver.resolve(secret))?.name).toBe(key?.name);
    await revokeKey(t.deps, SYSTEM_ACTOR, key?.id ?? 0);
    expect(await resolver.resolve(secret)).toBeNull();
  });

  it("answers null for malformed and unknown secrets without throwing", async () => {
    const resolver = keyResolverFor(t.deps);
    expect(await resolver.resolve("")).toBeNull();
    expect(await resolver.resolve("sy_server_short")).toBeNull();
    expect(await resolver.resolve(`sy_client_${"A".repeat(43)}`)).toBeNull();
  });
});
