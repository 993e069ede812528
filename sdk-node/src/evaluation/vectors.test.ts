/**
 * Core's shared evaluation vectors, answered through the SDK client: the same decisions as the evaluator
 * (and the server, and the browser SDK), with the client's own layers — bootstrap loading, the never-throw
 * guard, metrics counting — in the way.
 */

import { type Decision, type JsonValue, type Ruleset, toBrowserRuleset } from "@switchyard/core";
import { vectors } from "@switchyard/core/vectors";
import { afterAll, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "../client/switchyard-client.js";

interface VectorCase {
  name: string;
  ruleset: string;
  browser?: string;
  flag: string;
  context: Record<string, unknown>;
  default: JsonValue;
  expected: Partial<Decision>;
}

const cases = vectors.cases as VectorCase[];
const rulesets = vectors.rulesets as unknown as Record<string, Ruleset>;
const clients = new Map<string, SwitchyardClient>();
afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.close()));
});

function clientFor(rulesetName: string, browserSalt: string | undefined): SwitchyardClient {
  const id = `${rulesetName}/${browserSalt ?? "server"}`;
  let client = clients.get(id);
  if (!client) {
    const ruleset = rulesets[rulesetName];
    if (!ruleset) throw new Error(`vectors: no ruleset '${rulesetName}'`);
    const bootstrap = browserSalt === undefined ? ruleset : toBrowserRuleset(ruleset, browserSalt);
    client = createClient({ url: "http://127.0.0.1:9", sdkKey: "vectors", offline: true, bootstrap });
    clients.set(id, client);
  }
  return client;
}

/** The typed accessor an application would call for this default. */
function typedValue(client: SwitchyardClient, c: VectorCase): unknown {
  switch (typeof c.default) {
    case "boolean":
      return client.boolean(c.flag, c.context, c.default);
    case "string":
      return client.string(c.flag, c.context, c.default);
    case "number":
      return client.number(c.flag, c.context, c.default);
    default:
      return c.default === null
        ? client.detail(c.flag, c.context, null).value
        : client.json(c.flag, c.context, c.default);
  }
}

describe("core vectors through the client", () => {
  it("has vectors to run", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const client = clientFor(c.ruleset, c.browser);
    expect(client.status).toBe("ready");
    const decision = client.detail(c.flag, c.context, c.default);
    const compared = Object.fromEntries(
      Object.keys(c.expected).map((k) => [k, decision[k as keyof Decision]]),
    );
    expect(compared).toEqual(c.expected);
    expect(typedValue(client, c)).toEqual(c.expected.value);
  });
});
