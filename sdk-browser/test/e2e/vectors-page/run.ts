/**
 * Runs core's shared vectors inside the page, through the evaluator the SDK ships and through the
 * browser client itself, and reports every mismatch (see ../vectors.test.ts). Each case runs on the ruleset
 * as a browser receives it (browser-safe: the page ships no regex guard, it uses the server's bounds).
 */
import { bucketFor, compileRuleset, evaluate, hashKey, murmur3 } from "@switchyard/core";
import { browserRulesetFor, pinned, vectors } from "@switchyard/core/vectors";
import { createBrowserClient } from "../../../src/index.js";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function run(): Promise<string[]> {
  const mismatches: string[] = [];
  for (const [input, seed, expected] of vectors.murmur3) {
    if (murmur3(input, seed) !== expected) mismatches.push(`murmur3 ${input}`);
  }
  for (const [salt, value, expected] of vectors.buckets) {
    if (bucketFor(salt, value) !== expected) mismatches.push(`bucket ${salt} ${value}`);
  }
  for (const [salt, key, expected] of vectors.hashKey) {
    if (hashKey(salt, key) !== expected) mismatches.push(`hashKey ${key}`);
  }

  for (const c of vectors.cases) {
    const ruleset = browserRulesetFor(c);
    const compiled = compileRuleset(ruleset);
    if (!compiled.ok) {
      mismatches.push(`${c.name}: ruleset does not compile`);
      continue;
    }
    const decision = pinned(evaluate(compiled.ruleset, c.flag, c.context as never, c.default));
    if (!same(decision, c.expected)) mismatches.push(`core: ${c.name}: ${JSON.stringify(decision)}`);

    // The same case through the SDK's client, which evaluates object contexts only.
    if (typeof c.context !== "object" || c.context === null) continue;
    const client = createBrowserClient({
      url: "http://127.0.0.1:9",
      clientKey: "sy_client_vectors",
      context: c.context as never,
      bootstrap: ruleset,
      storage: null,
      streaming: false,
      pollIntervalMs: 3_600_000,
    });
    const detail = client.getDetail(c.flag, c.default) as unknown as Record<string, unknown>;
    const expected = c.expected as Record<string, unknown>;
    for (const k of ["value", "variant", "reason", "errorCode"]) {
      if (!same(detail[k], expected[k])) {
        mismatches.push(
          `client: ${c.name}: ${k} ${JSON.stringify(detail[k])} ≠ ${JSON.stringify(expected[k])}`,
        );
      }
    }
    client.close();
  }
  return mismatches;
}

(window as unknown as { __vectors: Promise<string[]> }).__vectors = run();
