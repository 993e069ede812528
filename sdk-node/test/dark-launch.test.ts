/**
 * The README's dark-launch walkthrough, run for real: the example pricing service (examples/) behind a
 * Node SDK client, and the flag moved along shadow → pilot → rollout → done through the admin API's
 * one-click advance. Each step is checked from the outside: which code answers whom, and what the server's
 * shadow statistics say.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cart, legacyPrice, newPrice, priceHandler } from "../examples/pricing-service.js";
import { createClient, type SwitchyardClient } from "../src/index.js";
import { until } from "../src/testing/fake-server.js";
import { Admin } from "./admin.js";
import { type RealServer, SERVER_START_TIMEOUT_MS, startRealServer } from "./real-server.js";

const adminToken = "sy_admin_sdk_node_dark_launch_walkthrough_0123";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const env = "/environments/production/flags/pricing-v2";
let server: RealServer;
let admin: Admin;
let client: SwitchyardClient;
let price: (user: string, cart: Cart) => Promise<{ totalCents: number }>;

/** A cart the rewrite prices differently (per-item rounding of the coupon) and one it gets right. */
const buggy: Cart = {
  items: [
    { sku: "a", unitCents: 105, quantity: 1 },
    { sku: "b", unitCents: 105, quantity: 1 },
  ],
  coupon: "TENOFF",
};
const plain: Cart = { items: [{ sku: "a", unitCents: 250, quantity: 2 }] };

type Advanced = { darkLaunch: { step: string }; rulesetVersions: Record<string, number> };
async function advance(body: Record<string, unknown>) {
  const result = await admin.call<Advanced>("POST", `${env}/dark-launch/advance`, body);
  // The client is current once it serves the new version (the stream delivers it within milliseconds).
  await until(() => client.version === result.rulesetVersions.production, 5_000, "the new ruleset");
  return result.darkLaunch.step;
}
/** Which code answered: the rewrite's answer differs from today's for the buggy cart. */
const answeredBy = async (user: string) =>
  (await price(user, buggy)).totalCents === (await newPrice(buggy)).totalCents ? "new" : "old";

beforeAll(async () => {
  server = await startRealServer({ adminToken });
  admin = new Admin(server.url, adminToken);
  await admin.createEnvironment("production");
  await admin.createBooleanFlag("pricing-v2");
  await admin.call("POST", "/environments/production/segments", {
    key: "pilot-users",
    name: "Pilot users",
    included: ["user-alice", "user-bob"],
  });
  client = createClient({
    url: server.url,
    sdkKey: await admin.serverKey("production"),
    logger: silent,
    flushIntervalMs: 60_000,
  });
  await client.ready({ timeout: 10_000 });
  const handle = priceHandler(client);
  price = async (user, cart) => {
    const body = JSON.stringify({ user, cart });
    const res = await handle(new Request("http://pricing.local/price", { method: "POST", body }));
    return (await res.json()) as { totalCents: number };
  };
}, SERVER_START_TIMEOUT_MS);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe("the dark-launch walkthrough", () => {
  it("1. shadow: everyone gets the old code, the new one runs beside it and its mismatches show", async () => {
    expect(await advance({ to: "shadow", sampleRate: 100 })).toBe("shadow");
    for (let i = 0; i < 20; i++) {
      const cart = i % 4 === 0 ? buggy : plain;
      expect(await price(`user-${i}`, cart)).toEqual(legacyPrice(cart));
      await new Promise((r) => setImmediate(r)); // requests arrive over time, not all in one tick
    }
    await new Promise((r) => setTimeout(r, 20));
    await client.flush();
    type Summary = { totals: { shadowed: number; mismatches: number; matches: number } };
    const summary = await until(
      async () => {
        const s = await admin.call<Summary>("GET", `${env}/shadow`);
        return s.totals.shadowed === 20 ? s : undefined;
      },
      5_000,
      "the shadow statistics",
    );
    expect(summary.totals).toMatchObject({ shadowed: 20, mismatches: 5, matches: 15 });
  }, 20_000);

  it("2. pilot: the pilot cohort gets the new code for real, everyone else the old", async () => {
    expect(await advance({ segment: "pilot-users" })).toBe("pilot");
    expect(await answeredBy("user-alice")).toBe("new");
    expect(await answeredBy("user-zoe")).toBe("old");
  });

  it("3. rollout: a sticky share of everyone else", async () => {
    expect(await advance({ percentage: 30 })).toBe("rollout");
    const users = Array.from({ length: 400 }, (_, i) => `customer-${i}`);
    const first = await Promise.all(users.map(answeredBy));
    const share = first.filter((a) => a === "new").length / users.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.38);
    expect(await Promise.all(users.map(answeredBy))).toEqual(first);
    expect(await answeredBy("user-alice")).toBe("new");
  });

  it("4. done: everyone gets the new code and the flag is ready to remove", async () => {
    expect(await advance({})).toBe("done");
    expect(await answeredBy("customer-1")).toBe("new");
    const view = await admin.call<{ readyForRemoval: boolean }>("GET", `${env}/dark-launch`);
    expect(view.readyForRemoval).toBe(true);
  });
});
