import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { sdkServicesFor } from "../sdk/services.js";
import { MAX_SAMPLES_KEPT, SAMPLE_PREVIEW_CHARS, SAMPLE_VALUE_CHARS } from "./samples.js";
import { percentileMs } from "./summary.js";

let t: TestServer;
let serverKey: string;
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  serverKey = await t.createKey("server", "staging");
});
afterAll(() => t.close());

const histogram = (bucket: number, count: number) => {
  const h = Array.from({ length: SHADOW_LATENCY_BUCKETS_MS.length + 1 }, () => 0);
  h[bucket] = count;
  return h;
};
const flagReport = (extra: Record<string, unknown> = {}) => ({
  calls: 100,
  shadowed: 10,
  matches: 9,
  mismatches: 1,
  candidateErrors: 0,
  controlErrors: 0,
  timeouts: 0,
  skipped: 0,
  controlLatency: histogram(3, 10), // ≤ 1 ms
  candidateLatency: histogram(5, 10), // ≤ 5 ms
  samples: [{ control: { total: 10 }, candidate: { total: 11 }, at: 1 }],
  ...extra,
});
const report = (flags: Record<string, unknown>) => ({
  instanceId: "i-1",
  sdk: "sdk-node/0.1.0",
  start: 0,
  end: 1,
  flags,
});

describe("shadow reports", () => {
  it("are summed per flag and read back as rates, latency percentiles and samples", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.request(
        "/sdk/v1/shadow",
        json("POST", report({ "new-checkout": flagReport() }), { authorization: serverKey }),
      );
      expect(res.status).toBe(202);
    }
    await sdkServicesFor(t.deps).shadow.flush();
    const res = await t.request("/api/v1/environments/staging/flags/new-checkout/shadow", {
      headers: t.auth(),
    });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.totals).toMatchObject({
      calls: 200,
      shadowed: 20,
      matches: 18,
      mismatches: 2,
      mismatchRate: 0.1,
      errorRate: 0,
    });
    expect(body.totals.latencyMs).toEqual({ control: { p50: 1, p95: 1 }, candidate: { p50: 5, p95: 5 } });
    expect(body.series).toHaveLength(1);
    expect(body.samples[0]).toMatchObject({ control: { total: 10 }, candidate: { total: 11 } });
  });

  it("refuse client keys, and name the field of a bad report", async () => {
    const clientKey = await t.createKey("client", "staging");
    expect(
      (await t.request("/sdk/v1/shadow", json("POST", report({}), { authorization: clientKey }))).status,
    ).toBe(403);
    const bad = await t.request(
      "/sdk/v1/shadow",
      json("POST", report({ f: flagReport({ controlLatency: [1] }) }), { authorization: serverKey }),
    );
    expect(bad.status).toBe(400);
    expect((await read(bad)).errors[0].path).toBe("flags.f.controlLatency");
    const window = await t.request("/api/v1/environments/staging/flags/new-checkout/shadow?windowMinutes=0", {
      headers: t.auth(),
    });
    expect(window.status).toBe(400);
  });

  it("keep the counts of a report whose mismatch samples are too big or too many, truncating the samples", async () => {
    const huge = { lines: Array.from({ length: 5_000 }, (_, i) => ({ sku: `sku-${i}`, price: i })) };
    const samples = [
      { control: huge, candidate: { lines: [] }, at: 2_000 },
      "not a sample",
      ...Array.from({ length: 60 }, (_, i) => ({ control: i, candidate: i + 1, at: 1_000 + i })),
    ];
    const res = await t.request(
      "/sdk/v1/shadow",
      json("POST", report({ "search-ranking": flagReport({ samples }) }), { authorization: serverKey }),
    );
    expect(res.status).toBe(202);
    await sdkServicesFor(t.deps).shadow.flush();
    const body = await read(
      await t.request("/api/v1/environments/staging/flags/search-ranking/shadow", { headers: t.auth() }),
    );
    expect(body.totals).toMatchObject({ calls: 100, shadowed: 10, matches: 9, mismatches: 1 });
    expect(body.samples.length).toBeLessThanOrEqual(MAX_SAMPLES_KEPT);
    const big = body.samples.find((s: { at: number }) => s.at === 2_000);
    expect(big.candidate).toEqual({ lines: [] });
    expect(big.control).toMatchObject({ truncated: true, bytes: JSON.stringify(huge).length });
    expect(big.control.preview).toBe(JSON.stringify(huge).slice(0, SAMPLE_PREVIEW_CHARS));
    expect(JSON.stringify(big).length).toBeLessThan(SAMPLE_VALUE_CHARS * 2);
  });

  it("percentiles come from the histogram's bucket bounds; overflow is unbounded (null)", () => {
    expect(percentileMs(histogram(0, 0), 50)).toBeNull();
    expect(percentileMs([5, 5, ...histogram(0, 0).slice(2)], 50)).toBe(0.1);
    expect(percentileMs(histogram(SHADOW_LATENCY_BUCKETS_MS.length, 3), 95)).toBeNull();
  });
});
