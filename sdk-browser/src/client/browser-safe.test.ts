// @vitest-environment happy-dom
// The browser client, fed the browser-safe ruleset (pilot-user keys hashed), must decide exactly what the core
// evaluator decides on the raw ruleset, for every user — and the raw pilot keys must never reach the page.
import { compileRuleset, evaluateAll, type Flag, type Ruleset, toBrowserRuleset } from "@switchyard/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch } from "../../test/support/fake-server.js";
import { boolFlag } from "../../test/support/fixtures.js";
import { createBrowserClient } from "./create-client.js";

const pilots = ["alice@example.com", "bob@example.com", "user-7"];
const raw: Ruleset = {
  formatVersion: 1,
  environment: "production",
  version: 12,
  segments: [
    { key: "beta", version: 1, included: pilots, excluded: ["user-3"] },
    {
      key: "staff",
      version: 1,
      rules: [{ clauses: [{ attribute: "email", op: "endsWith", values: ["@corp.test"] }] }],
    },
  ],
  flags: [
    boolFlag("pilot-checkout", true, {
      fallthrough: { variation: "off" },
      targets: [{ variation: "on", values: ["user-42"] }],
      rules: [
        {
          id: "beta",
          clauses: [{ attribute: "", op: "segmentMatch", values: ["beta"] }],
          serve: { variation: "on" },
        },
      ],
    }),
    boolFlag("rollout", true, {
      fallthrough: {
        rollout: {
          weights: [
            { variation: "on", weight: 30_000 },
            { variation: "off", weight: 70_000 },
          ],
        },
      },
    }),
    boolFlag("staff-tools", true, {
      fallthrough: { variation: "off" },
      rules: [
        {
          id: "staff",
          clauses: [{ attribute: "", op: "segmentMatch", values: ["staff"] }],
          serve: { variation: "on" },
        },
      ],
    }),
    { ...boolFlag("server-only", true), clientVisible: false } as Flag,
  ],
};

describe("browser-safe ruleset through the browser client", () => {
  beforeEach(() => {
    FakeEventSource.install();
    fakeFetch(() => new Response(null, { status: 202 }));
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("decides like the core evaluator on the raw rules, for pilot users and everyone else", async () => {
    const safe = toBrowserRuleset(raw, "env-salt-1");
    expect(JSON.stringify(safe)).not.toContain("alice@example.com");
    const compiled = compileRuleset(raw);
    if (!compiled.ok) throw new Error(compiled.errors.join("; "));

    const client = createBrowserClient({ url: "https://f", clientKey: "k", storage: null, bootstrap: safe });
    const users = [...pilots, "user-3", "user-42", ...Array.from({ length: 200 }, (_, i) => `visitor-${i}`)];
    let rolledOut = 0;
    for (const targetingKey of users) {
      const context = {
        targetingKey,
        email: targetingKey.startsWith("visitor-1") ? `${targetingKey}@corp.test` : "x@y.z",
      };
      await client.setContext(context);
      const expected = evaluateAll(compiled.ruleset, context);
      for (const key of ["pilot-checkout", "rollout", "staff-tools"]) {
        expect(client.getDetail(key, false), `${key} for ${targetingKey}`).toMatchObject({
          value: expected[key]!.value,
          variant: expected[key]!.variant,
          reason: expected[key]!.reason,
        });
      }
      if (client.getValue("rollout", false)) rolledOut++;
      expect(client.getDetail("server-only", false).errorCode).toBe("FLAG_NOT_FOUND");
    }
    expect(client.getAll()).not.toHaveProperty("server-only");
    await client.setContext({ targetingKey: "alice@example.com" });
    expect(client.getValue("pilot-checkout", false)).toBe(true); // hashed pilot key still matches
    await client.setContext({ targetingKey: "user-42" });
    expect(client.getDetail("pilot-checkout", false)).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    await client.setContext({ targetingKey: "user-3" });
    expect(client.getValue("pilot-checkout", true)).toBe(false);
    expect(rolledOut).toBeGreaterThan(30);
    expect(rolledOut).toBeLessThan(110);
    client.close();
  });
});
