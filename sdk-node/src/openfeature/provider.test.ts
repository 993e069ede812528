import {
  type EvaluationContext,
  type EventDetails,
  OpenFeature,
  ProviderEvents,
  ProviderStatus,
} from "@openfeature/server-sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientOptions } from "../client/options.js";
import { FakeServer, until } from "../testing/fake-server.js";
import { booleanFlag, delta, ruleset, stringFlag } from "../testing/rulesets.js";
import { SwitchyardProvider } from "./provider.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await OpenFeature.close();
  OpenFeature.clearHandlers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const rules = ruleset(1, [
  booleanFlag("checkout", true, 1, {
    rules: [
      {
        id: "beta",
        clauses: [{ attribute: "plan", op: "in", values: ["beta"] }],
        serve: { variation: "off" },
      },
    ],
  }),
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
]);

async function serve(): Promise<FakeServer> {
  const server = await FakeServer.start(rules);
  cleanups.push(() => server.close());
  return server;
}

function options(url: string, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    url,
    sdkKey: "srv",
    logger: silent,
    reconnectMinMs: 20,
    reconnectMaxMs: 80,
    pollIntervalMs: 50,
    ...extra,
  };
}

describe("SwitchyardProvider with the OpenFeature server SDK", () => {
  it("resolves values with variant, reason and metadata", async () => {
    const server = await serve();
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(options(server.url)));
    const flags = OpenFeature.getClient();
    expect(await flags.getBooleanValue("checkout", false, { targetingKey: "u1" })).toBe(true);
    const beta = await flags.getBooleanDetails("checkout", true, { targetingKey: "u1", plan: "beta" });
    expect(beta).toMatchObject({ value: false, variant: "off", reason: "TARGETING_MATCH" });
    expect(beta.flagMetadata).toMatchObject({ ruleId: "beta", ruleIndex: 0, rulesetVersion: 1 });
    expect(await flags.getStringDetails("theme", "light", { targetingKey: "u1" })).toMatchObject({
      value: "dark",
      variant: "chosen",
    });
    expect(await flags.getObjectValue("limits", {}, { targetingKey: "u1" })).toEqual({ max: 10 });
  });

  it("maps errors to OpenFeature error codes and serves the default", async () => {
    const server = await serve();
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(options(server.url)));
    const flags = OpenFeature.getClient();
    expect(await flags.getBooleanDetails("missing", true, { targetingKey: "u" })).toMatchObject({
      value: true,
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(await flags.getNumberDetails("theme", 1, { targetingKey: "u" })).toMatchObject({
      value: 1,
      errorCode: "TYPE_MISMATCH",
    });
    expect(await flags.getObjectDetails("checkout", { a: 1 }, { targetingKey: "u" })).toMatchObject({
      value: { a: 1 },
      errorCode: "TYPE_MISMATCH",
    });
  });

  it("converts Dates to ISO strings wherever they sit in the context, also in arrays and cycles", async () => {
    const server = await FakeServer.start(
      ruleset(1, [
        booleanFlag("since-2024", true, 1, {
          fallthrough: { variation: "off" },
          rules: ["account.since", "history.0", "signup"].map((attribute, i) => ({
            id: `r${i}`,
            clauses: [{ attribute, op: "startsWith" as const, values: ["2024-"] }],
            serve: { variation: "on" },
          })),
        }),
      ]),
    );
    cleanups.push(() => server.close());
    const provider = new SwitchyardProvider(options(server.url));
    await OpenFeature.setProviderAndWait(provider);
    const flags = OpenFeature.getClient();
    const date = new Date("2024-03-01T00:00:00Z");
    const circular: Record<string, unknown> = { since: date };
    circular.self = circular;
    for (const [ruleId, context] of [
      ["r0", { account: circular }],
      ["r1", { history: [date, new Date(Number.NaN)] }],
      ["r2", { signup: date }],
    ] as const) {
      const details = await flags.getBooleanDetails("since-2024", false, {
        targetingKey: "u",
        ...(context as EvaluationContext),
      });
      expect(details, ruleId).toMatchObject({
        value: true,
        reason: "TARGETING_MATCH",
        flagMetadata: { ruleId },
      });
    }
    expect(circular.since).toBe(date); // the caller's context is left as it was
  });

  it("answers a hostile context with the default and INVALID_CONTEXT, never a rejection", async () => {
    const server = await serve();
    const provider = new SwitchyardProvider(options(server.url));
    await OpenFeature.setProviderAndWait(provider);
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw Object.create(null);
        },
      },
    );
    const throwing = {
      targetingKey: "u",
      get plan(): string {
        throw new Error("getter bug");
      },
    };
    for (const context of [hostile, throwing]) {
      await expect(provider.resolveBooleanEvaluation("checkout", false, context as never)).resolves.toEqual({
        value: false,
        reason: "ERROR",
        errorCode: "INVALID_CONTEXT",
        errorMessage: expect.stringMatching(
          /cannot read the evaluation context: (getter bug|an unprintable)/,
        ),
      });
    }
  });

  it("emits CONFIGURATION_CHANGED with the changed flag keys", async () => {
    const server = await serve();
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(options(server.url)));
    await until(() => server.streams.size === 1);
    const changes: EventDetails[] = [];
    OpenFeature.addHandler(
      ProviderEvents.ConfigurationChanged,
      (details) => details && changes.push(details),
    );
    server.sendEvent("patch", delta(1, 2, { upsert: [booleanFlag("checkout", false, 2)] }), 2);
    await until(() => changes.length === 1, 5_000, "configuration changed");
    expect(changes[0]?.flagsChanged).toEqual(["checkout"]);
    expect(await OpenFeature.getClient().getBooleanValue("checkout", true, { targetingKey: "u" })).toBe(
      false,
    );
  });

  it("goes STALE during an outage, keeps answering, and READY again on recovery", async () => {
    const server = await serve();
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(options(server.url)));
    await until(() => server.streams.size === 1);
    const flags = OpenFeature.getClient();
    const port = server.port;
    await server.close();
    await until(() => flags.providerStatus === ProviderStatus.STALE, 5_000, "stale");
    expect(await flags.getBooleanValue("checkout", false, { targetingKey: "u" })).toBe(true);

    const back = await FakeServer.start(rules, port);
    cleanups.push(() => back.close());
    await until(() => flags.providerStatus === ProviderStatus.READY, 5_000, "ready again");
  });

  it("stays READY, without a STALE event, when only polling works", async () => {
    const server = await serve();
    server.streamStatus = 503;
    const stale: EventDetails[] = [];
    OpenFeature.addHandler(ProviderEvents.Stale, (details) => details && stale.push(details));
    await OpenFeature.setProviderAndWait(
      new SwitchyardProvider(
        options(server.url, { pollIntervalMs: 20, reconnectMinMs: 5, reconnectMaxMs: 20 }),
      ),
    );
    await until(() => server.to("/sdk/v1/stream").length >= 5, 5_000, "stream attempts");
    expect(stale).toEqual([]);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.READY);
  });

  it("starts STALE from a bootstrap when the server is down, serving the bootstrap rules", async () => {
    const provider = new SwitchyardProvider(
      options("http://127.0.0.1:9", { bootstrap: rules, reconnectMinMs: 5_000 }),
    );
    await OpenFeature.setProviderAndWait(provider);
    const flags = OpenFeature.getClient();
    await until(() => flags.providerStatus === ProviderStatus.STALE, 5_000, "stale");
    expect(await flags.getBooleanValue("checkout", false, { targetingKey: "u" })).toBe(true);
  });

  it("reports PROVIDER_NOT_READY until the first ruleset, then serves it", async () => {
    const server = await serve();
    server.rulesetStatus = 503;
    server.streamStatus = 503;
    OpenFeature.setProvider(new SwitchyardProvider(options(server.url)));
    const flags = OpenFeature.getClient();
    expect(await flags.getBooleanDetails("checkout", false, { targetingKey: "u" })).toMatchObject({
      value: false,
      errorCode: "PROVIDER_NOT_READY",
    });
    server.rulesetStatus = 200;
    server.streamStatus = 200;
    await until(() => flags.providerStatus === ProviderStatus.READY, 5_000, "ready");
    expect(await flags.getBooleanValue("checkout", false, { targetingKey: "u" })).toBe(true);
  });

  it("fails initialisation at once when an offline client has no usable rules", async () => {
    const provider = new SwitchyardProvider(options("http://127.0.0.1:9", { offline: true }));
    await expect(OpenFeature.setProviderAndWait(provider)).rejects.toThrow(/offline.*no ruleset/);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.ERROR);
  });

  it("fails initialisation after readyTimeoutMs when no rules can be loaded", async () => {
    const provider = new SwitchyardProvider(options("http://127.0.0.1:9", { reconnectMinMs: 5_000 }), {
      readyTimeoutMs: 50,
    });
    await expect(OpenFeature.setProviderAndWait(provider)).rejects.toThrow(/no ruleset within 50 ms/);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.ERROR);
  });
});
