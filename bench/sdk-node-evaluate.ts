/**
 * ns per `client.boolean(...)` of the Node SDK (context handling and metrics counting included), beside the
 * core evaluator alone and two peers evaluating the same flags from local data: `unleash-client` and
 * `@growthbook/growthbook`. Then the SDK's footprint (memory of 10,000 flags, createClient → ready from a
 * persisted ruleset). No network: every SDK works from bootstrapped data.
 *
 *   cd bench && node --conditions=source --import tsx sdk-node-evaluate.ts [--write]
 *
 * `--write` also writes bench/results/sdk-node.md.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { GrowthBookClient } from "@growthbook/growthbook";
import { compileRuleset, evaluate } from "@switchyard/core";
import { createClient } from "@switchyard/sdk-node";
import { do_not_optimize, measure } from "mitata";
import { InMemStorageProvider, Unleash } from "unleash-client";
import { measureFootprint } from "./sdk-node-footprint.js";
import {
  FILLER_FLAGS,
  growthbookContext,
  growthbookFeatures,
  pilotContexts,
  rolloutContexts,
  switchyardRuleset,
  unleashContext,
  unleashFeatures,
} from "./sdk-node-scenarios.js";

const ruleset = switchyardRuleset();
const compiledResult = compileRuleset(ruleset);
if (!compiledResult.ok) throw new Error(`benchmark ruleset invalid: ${compiledResult.errors.join("; ")}`);
const compiled = compiledResult.ruleset;
const client = createClient({
  url: "http://127.0.0.1:9",
  sdkKey: "bench",
  offline: true,
  bootstrap: ruleset,
});
await client.ready();

const unleash = new Unleash({
  appName: "bench",
  url: "http://127.0.0.1:9/api/",
  refreshInterval: 0, // no fetching: bootstrap only
  disableMetrics: true,
  bootstrap: { data: unleashFeatures() as never },
  storageProvider: new InMemStorageProvider(),
  skipInstanceCountWarning: true,
});
unleash.on("error", () => {});
await new Promise<void>((resolve) => {
  if (unleash.isSynchronized()) resolve();
  unleash.once("ready", () => resolve());
  unleash.once("synchronized", () => resolve());
});

const growthbook = new GrowthBookClient().initSync({ payload: { features: growthbookFeatures() as never } });

const cases = [
  { name: "simple flag (on for all)", flag: "simple", contexts: rolloutContexts },
  { name: "3 rules + 10k segment: pilot hit", flag: "checkout", contexts: pilotContexts },
  { name: "3 rules + 10k segment: fall-through to 20% rollout", flag: "checkout", contexts: rolloutContexts },
];

interface Row {
  name: string;
  core: number;
  sdk: number;
  unleash: number;
  growthbook: number;
}
const rows: Row[] = [];

for (const c of cases) {
  const sy = c.contexts;
  const ul = sy.map(unleashContext);
  const gb = sy.map(growthbookContext);
  // Same decisions everywhere where they do not depend on the hash (peers bucket with their own hashes).
  if (c.contexts === pilotContexts || c.flag === "simple") {
    for (let j = 0; j < sy.length; j++) {
      const expected = evaluate(compiled, c.flag, sy[j], false).value;
      const answers = {
        sdk: client.boolean(c.flag, sy[j], false),
        unleash: unleash.isEnabled(c.flag, ul[j]),
        growthbook: growthbook.isOn(c.flag, gb[j]!),
      };
      for (const [sdk, value] of Object.entries(answers)) {
        if (value !== expected)
          throw new Error(`${sdk} answered ${value} for ${c.name} #${j}, expected ${expected}`);
      }
    }
  }
  let i = 0;
  const ns = async (fn: () => unknown) => (await measure(fn)).p50;
  rows.push({
    name: c.name,
    core: await ns(() => do_not_optimize(evaluate(compiled, c.flag, sy[i++ & 1023], false))),
    sdk: await ns(() => do_not_optimize(client.boolean(c.flag, sy[i++ & 1023], false))),
    unleash: await ns(() => do_not_optimize(unleash.isEnabled(c.flag, ul[i++ & 1023]))),
    growthbook: await ns(() => do_not_optimize(growthbook.isOn(c.flag, gb[i++ & 1023]!))),
  });
}
unleash.destroy();
await client.close();

const footprint = await measureFootprint();

const fmt = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} µs` : `${n.toFixed(1)} ns`);
const lines = [
  "| case | core `evaluate` | sdk-node `client.boolean` | SDK ÷ core | unleash-client | @growthbook/growthbook | faster peer ÷ SDK |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const peer = Math.min(r.unleash, r.growthbook);
    return `| ${r.name} | ${fmt(r.core)} | ${fmt(r.sdk)} | ${(r.sdk / r.core).toFixed(2)}× | ${fmt(r.unleash)} | ${fmt(r.growthbook)} | ${(peer / r.sdk).toFixed(1)}× |`;
  }),
  "",
  ...footprint.lines,
];
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
const peerRatios = rows.map((r) => Math.min(r.unleash, r.growthbook) / r.sdk);
lines.push(
  "",
  `- SDK within 2× of core on every case: ${verdict(rows.every((r) => r.sdk / r.core <= 2))}.`,
  `- ≥ 10× faster than the faster peer on every case: ${verdict(peerRatios.every((x) => x >= 10))}` +
    ` (${rows.map((r, k) => `${r.name}: ${peerRatios[k]!.toFixed(1)}×`).join("; ")}).`,
  `- createClient → ready from the persisted benchmark ruleset ≤ 10 ms: repeated starts in one process ${verdict(footprint.startupMs <= 10)}` +
    ` (${footprint.startupMs.toFixed(2)} ms); in a fresh process, as at an app restart, ${verdict(footprint.coldStartupMs <= 10)}` +
    ` (${footprint.coldStartupMs.toFixed(2)} ms).`,
);
const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, Node ${process.version}`;
console.log(`\n${machine}\n\n${lines.join("\n")}`);

if (process.argv.includes("--write")) {
  const doc = `# sdk-node benchmarks

Command: \`cd bench && node --conditions=source --import tsx sdk-node-evaluate.ts --write\`
(mitata, median ns per call; contexts are built once per case, as an app builds one per request).
Machine: ${machine}. The machine is shared with other engineers' work, so figures are noisy.

Scenarios: the core benchmark's (bench/fixtures/rulesets.ts; peers' equivalents in
bench/sdk-node-scenarios.ts), ${FILLER_FLAGS.toLocaleString("en")} filler flags beside the measured ones, the same 1,024 rotating contexts per case: a
boolean flag on for everyone; \`checkout\` with three rules (email ends with \`@beta.example\` → on,
member of a 10,000-key pilot segment → on, app version below 2.0.0 → off) then a 20% rollout. "Pilot hit"
is a pilot after the first rule misses; "rollout" falls through every rule to the hash. Unleash evaluates
each rule as a constrained \`flexibleRollout\` strategy (pilots as \`userId IN [10,000 keys]\`, its faster
form; "old app → off" as an inverted \`SEMVER_LT\` on the 20% rollout); GrowthBook (\`GrowthBookClient\`,
multi-user) with \`$regex\`, \`$in\`, \`$vlt\` conditions and a 20% coverage rule. All three SDKs read the
same flags from local bootstrapped data, no network. The SDK figure includes its own overhead: the
readiness check, the kind check and context guard (in core's \`evaluate\`, called with the expected kind),
the never-throw guard, and counting the evaluation per flag and variant for metrics.

Targets: SDK within 2× of core; at least 10× faster than the faster peer; createClient → ready from a
persisted ruleset ≤ 10 ms.

${lines.join("\n")}
`;
  writeFileSync(new URL("./results/sdk-node.md", import.meta.url), doc);
  console.log("\nwrote bench/results/sdk-node.md");
}
