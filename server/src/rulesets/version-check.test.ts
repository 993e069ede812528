import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import type { ChangeBus } from "../deps.js";
import { createRulesetStore } from "./store.js";

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
});
afterAll(() => t.close());

/** A bus that loses every NOTIFY and never reconnects: only the periodic check can catch up. */
const deafBus: ChangeBus = {
  publish: async () => {},
  subscribe: () => () => {},
  onReconnect: () => () => {},
  close: async () => {},
};

describe("the periodic version check of the ruleset cache", () => {
  it("catches a change whose NOTIFY was missed, at the next tick", async () => {
    let tick = () => {};
    let interval = 0;
    const store = await createRulesetStore({
      db: t.deps.db,
      bus: deafBus,
      logger: t.deps.logger,
      versionCheckMs: 30_000,
      every: (ms, check) => {
        interval = ms;
        tick = check;
        return () => {};
      },
    });
    expect(interval).toBe(30_000);
    const held = store.server("staging")?.version as number;
    const res = await t.request(
      "/api/v1/environments/staging/flags/new-checkout",
      json("PATCH", { on: false }, { ...t.auth(), "if-match": "*" }),
    );
    expect(res.status).toBe(200);
    const version = (await read(res)).rulesetVersions.staging as number;
    expect(version).toBeGreaterThan(held);
    expect(store.server("staging")?.version).toBe(held);

    tick();
    await store.waitForVersion("staging", version, 2000);
    const flag = store.server("staging")?.ruleset.flags.find((f) => f.key === "new-checkout");
    expect(flag?.on).toBe(false);
    await store.close();
  });
});
