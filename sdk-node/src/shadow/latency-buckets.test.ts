import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS, LATENCY_EDGES_MS, latencyBucket } from "./latency-buckets.js";
import { ShadowStats } from "./stats.js";

// The server's scale, loaded at run time like the real server in test/ (this package does not type it).
const serverScale = "@switchyard/server/src/shadow/latency-buckets.js";

describe("shadow latency buckets", () => {
  it("are the server's fine scale, so its guard reads them at full resolution", async () => {
    const server = (await import(/* @vite-ignore */ serverScale)) as {
      FINE_LATENCY_BUCKETS_MS: readonly number[];
      edgesOf(histogram: readonly number[]): readonly number[] | undefined;
    };
    expect(LATENCY_EDGES_MS).toEqual(server.FINE_LATENCY_BUCKETS_MS);
    expect(server.edgesOf(new ShadowStats().for("f")?.controlLatency ?? [])).toBe(
      server.FINE_LATENCY_BUCKETS_MS,
    );
  });

  it("never step more than 14.3% (1.6 / 1.4) from one edge to the next", () => {
    expect(LATENCY_EDGES_MS).toHaveLength(95);
    for (let i = 1; i < LATENCY_EDGES_MS.length; i++) {
      const ratio = (LATENCY_EDGES_MS[i] as number) / (LATENCY_EDGES_MS[i - 1] as number);
      expect(ratio).toBeGreaterThan(1);
      expect(ratio).toBeLessThanOrEqual(1.6 / 1.4);
    }
  });

  it("put a latency in the bucket whose bounds hold it: (previous edge, edge]", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.1)).toBe(0);
    expect(latencyBucket(0.1001)).toBe(1);
    LATENCY_EDGES_MS.forEach((edge, i) => {
      expect(latencyBucket(edge)).toBe(i);
      expect(latencyBucket(edge * 1.001)).toBe(i + 1);
    });
    expect(latencyBucket(5000.5)).toBe(LATENCY_BUCKETS - 1);
    expect(latencyBucket(Number.POSITIVE_INFINITY)).toBe(LATENCY_BUCKETS - 1);
  });

  it("count a latency that is not a number in the first bucket, never outside the histogram", () => {
    for (const ms of [Number.NaN, -3, Number.NEGATIVE_INFINITY]) expect(latencyBucket(ms)).toBe(0);
  });
});
