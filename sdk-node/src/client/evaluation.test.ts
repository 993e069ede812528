import { afterEach, describe, expect, it } from "vitest";
import { booleanFlag, ruleset, segment, stringFlag } from "../testing/rulesets.js";
import type { ClientOptions } from "./options.js";
import { createClient, type SwitchyardClient } from "./switchyard-client.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const clients: SwitchyardClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** No network: only the local rules matter here (the transport has its own tests). */
function offlineClient(options: Partial<ClientOptions> = {}): SwitchyardClient {
  const client = createClient({
    url: "http://127.0.0.1:9",
    sdkKey: "srv-test",
    logger: silent,
    offline: true,
    ...options,
  });
  clients.push(client);
  return client;
}

const rules = ruleset(
  4,
  [
    booleanFlag("checkout", true, 1, {
      rules: [
        {
          id: "pilots",
          clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["pilots"] }],
          serve: { variation: "off" },
        },
      ],
    }),
    booleanFlag("killed", false),
    stringFlag("theme", "dark"),
    {
      key: "limits",
      kind: "json",
      variations: [{ key: "v1", value: { max: 10 } }],
      version: 1,
      salt: "s",
      on: true,
      offVariation: "v1",
      fallthrough: { variation: "v1" },
    },
    {
      key: "ratio",
      kind: "number",
      variations: [{ key: "half", value: 0.5 }],
      version: 1,
      salt: "s",
      on: true,
      offVariation: "half",
      fallthrough: { variation: "half" },
    },
  ],
  [segment("pilots", ["pilot-1"])],
);

describe("evaluation", () => {
  it("serves the default with PROVIDER_NOT_READY before any ruleset, without throwing", () => {
    const client = offlineClient();
    expect(client.boolean("checkout", { targetingKey: "u" }, true)).toBe(true);
    expect(client.detail("checkout", undefined, false)).toMatchObject({
      value: false,
      reason: "ERROR",
      errorCode: "PROVIDER_NOT_READY",
    });
    expect(client.status).toBe("not-ready");
  });

  it("ready() rejects at once, even without a timeout, when an offline client has no usable rules", async () => {
    await expect(offlineClient().ready()).rejects.toThrow(/offline.*no ruleset/);
    const invalid = offlineClient({ bootstrap: { ...rules, flags: "nope" } as never });
    await expect(invalid.ready()).rejects.toThrow(/offline.*bootstrap ruleset rejected: invalid ruleset/);
    expect(invalid.status).toBe("not-ready");
    expect(invalid.boolean("checkout", {}, true)).toBe(true);
  });

  it("answers every value type from a bootstrap ruleset", async () => {
    const client = offlineClient({ bootstrap: rules });
    await client.ready({ timeout: 1_000 });
    expect(client.boolean("checkout", { targetingKey: "someone" }, false)).toBe(true);
    expect(client.boolean("checkout", { targetingKey: "pilot-1" }, true)).toBe(false);
    expect(client.boolean("killed", {}, true)).toBe(false);
    expect(client.string("theme", { targetingKey: "u" }, "light")).toBe("dark");
    expect(client.number("ratio", { targetingKey: "u" }, 1)).toBe(0.5);
    expect(client.json("limits", { targetingKey: "u" }, { max: 0 })).toEqual({ max: 10 });
    expect(client.detail("killed", { targetingKey: "u" }, true)).toMatchObject({
      value: false,
      variant: "off",
      reason: "DISABLED",
    });
    expect(client.detail("checkout", { targetingKey: "pilot-1" }, true)).toMatchObject({
      value: false,
      variant: "off",
      reason: "TARGETING_MATCH",
      ruleId: "pilots",
    });
  });

  it("serves the default with a reason for unknown flags, wrong types and broken input", async () => {
    const client = offlineClient({ bootstrap: rules });
    await client.ready();
    expect(client.detail("nope", { targetingKey: "u" }, "x")).toMatchObject({
      value: "x",
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(client.detail("theme", { targetingKey: "u" }, 3)).toMatchObject({
      value: 3,
      reason: "ERROR",
      errorCode: "TYPE_MISMATCH",
    });
    expect(client.string("checkout", { targetingKey: "u" }, "fallback")).toBe("fallback");
    const hostile = [
      null,
      42,
      "ctx",
      [],
      { targetingKey: 7 },
      {
        get targetingKey() {
          throw new Error("boom");
        },
      },
    ];
    for (const context of hostile) {
      expect(() => client.boolean("checkout", context as never, false)).not.toThrow();
      expect(() => client.boolean(undefined as never, context as never, false)).not.toThrow();
    }
  });

  it("never throws for a flag key that is not a string, and says why it served the default", async () => {
    const ready = offlineClient({ bootstrap: rules });
    await ready.ready();
    const keys = [
      {
        toString: () => {
          throw 42;
        },
      },
      Symbol("checkout"),
      42,
      Object.create(null),
      undefined,
    ];
    for (const client of [ready, offlineClient()]) {
      for (const key of keys) {
        expect(client.detail(key as never, { targetingKey: "u" }, true)).toEqual({
          value: true,
          reason: "ERROR",
          errorCode: "FLAG_NOT_FOUND",
          errorMessage: expect.stringMatching(
            /flag key must be a string, got (object|symbol|number|undefined)/,
          ),
        });
        expect(client.boolean(key as never, {}, true)).toBe(true);
      }
    }
  });

  it("serves the default with a reason for contexts that throw from every corner", async () => {
    const client = offlineClient({ bootstrap: rules });
    await client.ready();
    // Every trap throws the proxy itself: even `instanceof Error` and `String()` on what is caught throw.
    const hostile: object = new Proxy(
      {},
      {
        get: () => {
          throw hostile;
        },
        has: () => {
          throw hostile;
        },
        ownKeys: () => {
          throw hostile;
        },
        getPrototypeOf: () => {
          throw hostile;
        },
        getOwnPropertyDescriptor: () => {
          throw hostile;
        },
      },
    );
    const revocable = Proxy.revocable({ targetingKey: "pilot-1" }, {});
    revocable.revoke();
    const contexts = {
      "a Proxy whose traps throw": hostile,
      "a revoked Proxy": revocable.proxy,
      "a getter throwing a hostile value": {
        get targetingKey() {
          throw hostile;
        },
      },
      "a getter throwing a non-Error": {
        get targetingKey() {
          throw Object.create(null);
        },
      },
    };
    for (const [what, context] of Object.entries(contexts)) {
      expect(client.detail("checkout", context as never, true), what).toEqual({
        value: true,
        reason: "ERROR",
        errorCode: "GENERAL",
        errorMessage: expect.any(String),
      });
      expect(client.boolean("checkout", context as never, true), what).toBe(true);
    }
  });

  it("evaluates circular contexts and symbol or bigint values as values, with a reason", async () => {
    const client = offlineClient({ bootstrap: rules });
    await client.ready();
    const circular: Record<string, unknown> = { targetingKey: "pilot-1" };
    circular.self = circular;
    circular.plan = [circular];
    expect(client.detail("checkout", circular as never, true)).toMatchObject({
      value: false,
      variant: "off",
      reason: "TARGETING_MATCH",
      ruleId: "pilots",
    });
    // Neither a symbol nor a bigint is the pilot's key: the rule does not match, the fallthrough serves.
    for (const targetingKey of [Symbol("pilot-1"), 10n]) {
      expect(client.detail("checkout", { targetingKey } as never, false)).toEqual({
        value: true,
        variant: "on",
        reason: "DEFAULT",
      });
    }
    expect(
      client.detail("checkout", { targetingKey: "pilot-1", [Symbol("x")]: 1n } as never, true),
    ).toMatchObject({ value: false, reason: "TARGETING_MATCH" });
  });

  it("lets listeners unsubscribe and survives a listener that throws", async () => {
    const client = offlineClient({ bootstrap: rules });
    const seen: string[] = [];
    client.on("ready", () => {
      throw new Error("listener bug");
    });
    const stop = client.on("ready", ({ source }) => seen.push(source));
    client.on("ready", () => seen.push("second"));
    stop();
    await client.ready();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["second"]);
    expect(() => client.on("nonsense" as never, () => {})).toThrow(/unknown event/);
  });

  it("explains a bad configuration at once", () => {
    expect(() => createClient({ url: "", sdkKey: "k" })).toThrow(/url/);
    expect(() => createClient({ url: "ftp://x", sdkKey: "k" })).toThrow(/http/);
    expect(() => createClient({ url: "http://127.0.0.1:9", sdkKey: "" })).toThrow(/sdkKey/);
    expect(() => createClient({ url: "http://127.0.0.1:9", sdkKey: "k", pollIntervalMs: -1 })).toThrow(
      /pollIntervalMs/,
    );
  });
});
