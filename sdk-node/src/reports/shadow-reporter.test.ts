import type { Ruleset, ShadowReport } from "@switchyard/core";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "../client/switchyard-client.js";
import type { FlagShadowStats } from "../shadow/stats.js";
import { FakeServer } from "../testing/fake-server.js";
import { booleanFlag, ruleset } from "../testing/rulesets.js";
import { MAX_SHADOW_REPORT_CHARS, packFlags } from "./shadow-reporter.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const shadowed = (key: string) =>
  booleanFlag(key, true, 1, {
    fallthrough: { variation: "off" },
    shadow: { sampleRate: 100_000, stickiness: "call", timeoutMs: 1_000, candidateVariation: "on" },
  });

async function setup(rules: Ruleset = ruleset(1, [shadowed("pricing")])) {
  const server = await FakeServer.start(rules);
  cleanups.push(() => server.close());
  const errors: string[] = [];
  const logger = { ...silent, warn: (message: string) => /shadow/.test(message) && errors.push(message) };
  const client = createClient({ url: server.url, sdkKey: "k", logger, flushIntervalMs: 0 });
  cleanups.push(() => client.close());
  await client.ready({ timeout: 5_000 });
  return { server, client, errors };
}

/** Runs one shadowed call and lets the candidate and the comparison finish. */
async function mismatch(client: SwitchyardClient, flag: string, candidate: unknown) {
  await client.shadow(
    flag,
    { targetingKey: "u" },
    { control: () => ({ ok: true }), candidate: () => candidate },
  );
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

const reports = (server: FakeServer) =>
  server
    .to("/sdk/v1/shadow")
    .map((r) => ({ chars: JSON.stringify(r.body).length, report: r.body as ShadowReport }));

describe("shadow reports", () => {
  it("delivers the counts of five 200 KB mismatches: samples truncated, each report under the limit", async () => {
    const { server, client, errors } = await setup();
    for (let i = 0; i < 5; i++) await mismatch(client, "pricing", { blob: "x".repeat(200_000), i });
    await client.flush();
    const sent = reports(server);
    expect(errors).toEqual([]);
    expect(sent.map((s) => s.report.flags.pricing?.mismatches)).toEqual([5]);
    expect(sent[0]!.chars).toBeLessThan(64 * 1024);
    const samples = sent[0]!.report.flags.pricing!.samples;
    expect(samples).toHaveLength(5);
    expect(samples[0]!.candidate).toMatch(
      /^\{"blob":"x+… \[truncated: 200,0\d\d characters of JSON in all\]$/,
    );
    expect(samples[0]!.control).toEqual({ ok: true });
  });

  it("splits many flags' statistics over reports the server accepts, never losing a count", async () => {
    const flags = Array.from({ length: 60 }, (_, i) => shadowed(`flag-${i}`));
    const { server, client, errors } = await setup(ruleset(1, flags));
    for (const flag of flags)
      for (let i = 0; i < 10; i++) await mismatch(client, flag.key, { blob: "y".repeat(5_000), i });
    await client.flush();
    const sent = reports(server);
    expect(errors).toEqual([]);
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) expect(s.chars).toBeLessThanOrEqual(MAX_SHADOW_REPORT_CHARS);
    const mismatches = sent
      .flatMap((s) => Object.values(s.report.flags))
      .reduce((n, f) => n + f.mismatches, 0);
    expect(mismatches).toBe(600);
  });

  it("retries a report that failed with the next batch, reporting the whole window", async () => {
    const { server, client, errors } = await setup();
    await mismatch(client, "pricing", { ok: false });
    const firstWindowEnded = Date.now();
    server.reportStatus = 503;
    await client.flush();
    expect(errors).toEqual([expect.stringMatching(/sending shadow statistics failed: .*503/)]);
    server.reportStatus = 202;
    await mismatch(client, "pricing", { ok: false });
    const after = Date.now();
    await client.flush();
    const delivered = server.reports<ShadowReport>("/sdk/v1/shadow").at(-1)!;
    expect(delivered.flags.pricing).toMatchObject({ calls: 2, shadowed: 2, mismatches: 2 });
    // The window of the failed report is included: it starts before that report was due.
    expect(delivered.start).toBeLessThanOrEqual(firstWindowEnded);
    expect(delivered.end).toBeGreaterThanOrEqual(after);
  });

  it("does not retry a report the server refuses for what it is", async () => {
    const { server, client, errors } = await setup();
    await mismatch(client, "pricing", { ok: false });
    server.reportStatus = 400;
    await client.flush();
    server.reportStatus = 202;
    await client.flush();
    expect(server.to("/sdk/v1/shadow")).toHaveLength(1);
    expect(errors).toEqual([expect.stringMatching(/sending shadow statistics failed: .*400/)]);
  });
});

describe("packFlags", () => {
  const stats = (samples: number, chars: number): FlagShadowStats => ({
    calls: 1,
    shadowed: 1,
    matches: 0,
    mismatches: samples,
    candidateErrors: 0,
    controlErrors: 0,
    timeouts: 0,
    skipped: 0,
    controlLatency: [1],
    candidateLatency: [1],
    samples: Array.from({ length: samples }, (_, at) => ({
      control: "c".repeat(chars),
      candidate: null,
      at,
    })),
  });

  it("sends a flag too big for any report without its samples, and keeps its counts", () => {
    const [only] = packFlags({ huge: stats(3, 2_000) }, 3_000);
    expect(only?.huge).toMatchObject({ mismatches: 3, samples: [] });
  });

  it("groups flags so that no group passes the budget", () => {
    // Each flag takes ~714 characters and the envelope 400: two fit in 2,000, three do not.
    const groups = packFlags({ a: stats(1, 500), b: stats(1, 500), c: stats(1, 500) }, 2_000);
    expect(groups.map((g) => Object.keys(g))).toEqual([["a", "b"], ["c"]]);
    expect(groups.flat().length).toBe(2);
  });
});
