/**
 * Core's shared evaluation vectors, answered through the SDK client: the same decisions as the evaluator
 * (and the server, and the browser SDK), with the client's own layers — bootstrap loading, the never-throw
 * guard, metrics counting — in the way. Each ruleset is also served from the client's own cache file, which
 * is compiled without validating it again, every key list stored out of its JSON: the decisions must not
 * change.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { type Decision, type JsonValue, type Ruleset, toBrowserRuleset } from "@switchyard/core";
import { vectors } from "@switchyard/core/vectors";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCacheFile, ownerFingerprint } from "../cache/cache-format.js";
import { readRulesetFile } from "../cache/ruleset-file.js";
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
const cacheDir = mkdtempSync(join(tmpdir(), "sdk-node-vectors-"));
afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.close()));
  rmSync(cacheDir, { recursive: true, force: true });
});

const url = "http://127.0.0.1:9";

/** Options that start a client from `ruleset`: as a bootstrap object, or from a cache file it trusts. */
function startFrom(ruleset: Ruleset, id: string, persisted: boolean) {
  if (!persisted) return { bootstrap: ruleset };
  const persistPath = join(cacheDir, `${id.replaceAll("/", "_")}.json`);
  writeFileSync(
    persistPath,
    encodeCacheFile(ruleset, { owner: ownerFingerprint(url, "vectors"), minListLength: 1 }),
  );
  expect(readRulesetFile(persistPath)?.trusted).toBe(true);
  return { persistPath };
}

function clientFor(
  rulesetName: string,
  browserSalt: string | undefined,
  persisted = false,
): SwitchyardClient {
  const id = `${rulesetName}/${browserSalt ?? "server"}/${persisted ? "persisted" : "bootstrap"}`;
  let client = clients.get(id);
  if (!client) {
    const ruleset = rulesets[rulesetName];
    if (!ruleset) throw new Error(`vectors: no ruleset '${rulesetName}'`);
    const bootstrap = browserSalt === undefined ? ruleset : toBrowserRuleset(ruleset, browserSalt);
    client = createClient({ url, sdkKey: "vectors", offline: true, ...startFrom(bootstrap, id, persisted) });
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

  it.each(
    cases.flatMap(
      (c) =>
        [
          [c.name, c, false],
          [`${c.name} (from a trusted cache file)`, c, true],
        ] as const,
    ),
  )("%s", (_name, c, persisted) => {
    const client = clientFor(c.ruleset, c.browser, persisted);
    expect(client.status).toBe("ready");
    const decision = client.detail(c.flag, c.context, c.default);
    const compared = Object.fromEntries(
      Object.keys(c.expected).map((k) => [k, decision[k as keyof Decision]]),
    );
    expect(compared).toEqual(c.expected);
    expect(typedValue(client, c)).toEqual(c.expected.value);
  });
});
