/**
 * The Node SDK's footprint: heap held by a client serving 10,000 flags, and the time from `createClient` to
 * ready when it starts from a persisted ruleset (the server being down). Run on its own with
 *   cd bench && node --conditions=source --import tsx sdk-node-footprint.ts
 * or as part of sdk-node-evaluate.ts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { compileTrustedRuleset, type Flag, type Ruleset, validateRuleset } from "@switchyard/core";
import { createClient, readRulesetFile, writeRulesetFile } from "@switchyard/sdk-node";
import { timedStart } from "./sdk-node-cold-start.js";
import { switchyardRuleset } from "./sdk-node-scenarios.js";

function collectGarbage(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** A ruleset of `count` flags shaped like real ones: a rule, a rollout fallthrough, a few targets. */
export function realisticRuleset(count: number): Ruleset {
  const base = switchyardRuleset();
  const flags = Array.from(
    { length: count },
    (_, i): Flag => ({
      key: `team-${i % 50}.feature-${i}`,
      kind: "boolean",
      variations: [
        { key: "on", value: true },
        { key: "off", value: false },
      ],
      version: 1 + (i % 7),
      salt: `salt-${i}`,
      on: i % 10 !== 0,
      offVariation: "off",
      targets: [{ variation: "on", values: [`qa-${i}`, `qa-${i + 1}`] }],
      rules: [
        {
          id: `r${i}`,
          clauses: [{ attribute: "country", op: "in", values: ["NL", "DE"] }],
          serve: { variation: "on" },
        },
      ],
      fallthrough: {
        rollout: {
          weights: [
            { variation: "on", weight: 25_000 },
            { variation: "off", weight: 75_000 },
          ],
        },
      },
    }),
  );
  return { ...base, flags };
}

/** Clients measured are kept reachable from here until measured (a local alone proved unreliable). */
const held: unknown[] = [];

async function heapOfClient(count: number, runs = 3): Promise<number> {
  const gc = collectGarbage();
  const text = JSON.stringify(realisticRuleset(count));
  const sizes: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const client = createClient({
      url: "http://127.0.0.1:9",
      sdkKey: "bench",
      offline: true,
      bootstrap: JSON.parse(text),
    });
    held.push(client);
    await client.ready();
    gc();
    gc();
    sizes.push(process.memoryUsage().heapUsed - before);
    if (!client.boolean("team-1.feature-1", { targetingKey: "qa-1" }, false))
      throw new Error("client not serving");
  }
  for (const client of held.splice(0)) await (client as { close(): Promise<void> }).close();
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)]!;
}

async function startupFromPersisted(ruleset: Ruleset, runs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "sdk-node-bench-"));
  const persistPath = join(dir, "flags.json");
  await writeRulesetFile(persistPath, { ruleset });
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) times.push(await timedStart(persistPath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** The same, each start in a fresh process: what an app restart pays (cold JIT, young heap). Median. */
async function coldStartFromPersisted(ruleset: Ruleset, runs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "sdk-node-bench-"));
  const persistPath = join(dir, "flags.json");
  await writeRulesetFile(persistPath, { ruleset });
  const script = fileURLToPath(new URL("./sdk-node-cold-start.ts", import.meta.url));
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, [
        "--conditions=source",
        "--import",
        "tsx",
        script,
        persistPath,
      ]);
      times.push(Number(out.toString().trim()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Where start-up time goes for a ruleset (medians): reading the client's cache file (`readRulesetFile`:
 * SHA-256, JSON.parse of the JSON part, big key lists rebuilt with split), against the JSON.parse of the
 * whole ruleset it replaces; core's validation (skipped for the client's own intact file, kept here to show
 * its cost) and core's compile (`compileTrustedRuleset`: what a trusted file costs).
 */
async function startupBreakdown(ruleset: Ruleset, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), "sdk-node-bench-"));
  const path = join(dir, "flags.json");
  await writeRulesetFile(path, { ruleset });
  const text = JSON.stringify(ruleset);
  const phases = {
    read: [] as number[],
    wholeParse: [] as number[],
    validate: [] as number[],
    compile: [] as number[],
  };
  const timed = (into: number[], f: () => unknown) => {
    const start = performance.now();
    const out = f();
    into.push(performance.now() - start);
    return out;
  };
  try {
    for (let i = 0; i < runs; i++) {
      const parsed = (timed(phases.read, () => readRulesetFile(path)) as { ruleset: unknown }).ruleset;
      timed(phases.wholeParse, () => JSON.parse(text));
      if (!(timed(phases.validate, () => validateRuleset(parsed)) as { ok: boolean }).ok)
        throw new Error("ruleset invalid");
      if (!(timed(phases.compile, () => compileTrustedRuleset(parsed)) as { ok: boolean }).ok)
        throw new Error("ruleset did not compile");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(phases).map(([k, xs]) => [k, median(xs).toFixed(2)]));
}

export async function measureFootprint(): Promise<{
  lines: string[];
  startupMs: number;
  coldStartupMs: number;
}> {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const heap10k = await heapOfClient(10_000);
  const startBench = await startupFromPersisted(switchyardRuleset(), 20);
  const cold = await coldStartFromPersisted(switchyardRuleset(), 9);
  const start1k = await startupFromPersisted(realisticRuleset(1_000), 20);
  const start10k = await startupFromPersisted(realisticRuleset(10_000), 10);
  const split = await startupBreakdown(switchyardRuleset(), 21);
  return {
    startupMs: startBench,
    coldStartupMs: cold,
    lines: [
      "| footprint | figure |",
      "|---|---|",
      `| heap held by a client with 10,000 flags (each a rule, 2 targets, a rollout) + a 10,000-key segment | ${mb(heap10k)} |`,
      `| createClient → ready, persisted ruleset of the core benchmark (1,002 flags + 10,000-key segment), median | ${startBench.toFixed(2)} ms |`,
      `| same, each start in a fresh process (an app restart: cold JIT), median of 9 | ${cold.toFixed(2)} ms |`,
      `| createClient → ready, persisted ruleset of 1,000 flags, median | ${start1k.toFixed(2)} ms |`,
      `| createClient → ready, persisted ruleset of 10,000 flags, median | ${start10k.toFixed(2)} ms |`,
      `| … of which, for the core benchmark ruleset: reading the cache file (SHA-256, JSON part, key lists split) / core \`compileTrustedRuleset\`, medians | ${split.read} ms / ${split.compile} ms |`,
      `| JSON.parse of the whole ruleset, the read cost before key lists moved out of the JSON (cache format 2), median | ${split.wholeParse} ms |`,
      `| core \`validateRuleset\` on the same ruleset (no longer paid when starting from the client's own intact file), median | ${split.validate} ms |`,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await measureFootprint()).lines.join("\n"));
}
