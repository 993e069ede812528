import type { Flag, Ruleset, ShadowRule } from "@switchyard/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, type SwitchyardClient } from "../client/switchyard-client.js";
import { latencyBucket } from "./latency-buckets.js";
import type { ShadowRunnerOptions } from "./shadow.js";

const variations = [
  { key: "old", value: false },
  { key: "new", value: true },
];

function clientWith(
  shadow: Partial<ShadowRule>,
  extra: Partial<Flag> = {},
  options: ShadowRunnerOptions = {},
) {
  const flag: Flag = {
    key: "pricing",
    kind: "boolean",
    variations,
    version: 1,
    salt: "pricing",
    on: true,
    offVariation: "old",
    fallthrough: { variation: "old" },
    shadow: { sampleRate: 100_000, stickiness: "call", timeoutMs: 50, candidateVariation: "new", ...shadow },
    ...extra,
  };
  const bootstrap: Ruleset = {
    formatVersion: 1,
    environment: "test",
    version: 1,
    flags: [flag],
    segments: [],
  };
  return createClient({
    url: "http://127.0.0.1:9",
    sdkKey: "shadow-test",
    offline: true,
    bootstrap,
    shadow: options,
  });
}

let client: SwitchyardClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const user = { targetingKey: "u-1" };
/** Lets the shadow run (started on the next turn) and its comparison finish. */
const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

describe("client.shadow", () => {
  it("returns the control's result and counts a match", async () => {
    client = clientWith({});
    const result = await client.shadow("pricing", user, { control: () => 10, candidate: async () => 10 });
    expect(result).toBe(10);
    await flush();
    expect(client.takeShadowStats().pricing).toMatchObject({
      calls: 1,
      shadowed: 1,
      matches: 1,
      mismatches: 0,
    });
  });

  it("never lets a throwing candidate reach the caller", async () => {
    client = clientWith({});
    const result = await client.shadow("pricing", user, {
      control: () => "old",
      candidate: () => {
        throw new Error("candidate bug");
      },
    });
    expect(result).toBe("old");
    await flush();
    expect(client.takeShadowStats().pricing).toMatchObject({ candidateErrors: 1, matches: 0 });
  });

  it("does not wait for a hanging candidate, aborts it at the timeout and counts it", async () => {
    client = clientWith({ timeoutMs: 20 });
    let signal: AbortSignal | undefined;
    const result = await client.shadow("pricing", user, {
      control: async () => "old",
      candidate: (marker) => {
        signal = marker.signal;
        expect(marker.shadow).toBe(true);
        return new Promise<string>(() => {});
      },
    });
    expect(result).toBe("old");
    await flush();
    expect(signal?.aborted).toBe(false);
    await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 2000 });
    await flush();
    expect(client.takeShadowStats().pricing).toMatchObject({ timeouts: 1 });
  });

  it("times each path around its own run only: identical work lands in the same latency bucket", async () => {
    let now = 0;
    client = clientWith({}, {}, { now: () => now });
    const work = () => {
      now += 3; // the same 3 ms of work on both paths
      return 1;
    };
    for (const control of [work, async () => work()]) {
      expect(await client.shadow("pricing", user, { control, candidate: work })).toBe(1);
      await flush();
    }
    const stats = client.takeShadowStats().pricing;
    const threeMs = latencyBucket(3);
    expect(stats?.controlLatency[threeMs]).toBe(2);
    expect(stats?.candidateLatency[threeMs]).toBe(2);
  });

  it("never runs a candidate unbounded: core refuses a rule without a usable timeout", async () => {
    for (const timeoutMs of [undefined, Number.NaN, -5, 60_001]) {
      client = clientWith({ timeoutMs } as never);
      let ran = false;
      const candidate = () => {
        ran = true;
        return 2;
      };
      expect(await client.shadow("pricing", user, { control: () => 1, candidate })).toBe(1);
      await flush();
      expect(ran, String(timeoutMs)).toBe(false);
      await client.close();
    }
  });

  it("draws per-call samples from a different sequence in every client (not one fixed seed)", async () => {
    const pattern = async () => {
      const c = clientWith({ sampleRate: 50_000 });
      const shadowed: number[] = [];
      for (let i = 0; i < 64; i++) {
        await c.shadow("pricing", user, { control: () => i, candidate: () => shadowed.push(i) && i });
        await flush();
      }
      await c.close();
      return shadowed.join(",");
    };
    expect(await pattern()).not.toBe(await pattern());
  });

  it("counts a different result as a mismatch and keeps a redacted sample", async () => {
    client = clientWith({}, {}, { redact: (v) => ({ redacted: typeof v }) });
    const result = await client.shadow("pricing", user, {
      control: () => ({ total: 10, email: "a@b.c" }),
      candidate: () => ({ total: 11, email: "a@b.c" }),
    });
    expect(result).toEqual({ total: 10, email: "a@b.c" });
    await flush();
    const stats = client.takeShadowStats().pricing;
    expect(stats).toMatchObject({
      mismatches: 1,
      samples: [{ control: { redacted: "object" }, candidate: { redacted: "object" } }],
    });
    expect(stats?.candidateLatency.reduce((a, b) => a + b)).toBe(1);
  });

  it("counts a throwing compare as an error, not a crash", async () => {
    client = clientWith({});
    const result = await client.shadow("pricing", user, {
      control: () => 1,
      candidate: () => 2,
      compare: () => {
        throw new Error("bad compare");
      },
    });
    expect(result).toBe(1);
    await flush();
    expect(client.takeShadowStats().pricing).toMatchObject({ candidateErrors: 1 });
  });

  it("lets the control's own exception reach the caller (it is the real path)", async () => {
    client = clientWith({});
    await expect(
      client.shadow("pricing", user, {
        control: () => {
          throw new Error("real failure");
        },
        candidate: () => 1,
      }),
    ).rejects.toThrow("real failure");
  });

  it("caps concurrent shadow runs per flag and counts the skipped samples", async () => {
    client = clientWith({ timeoutMs: 10_000 }, {}, { maxConcurrentPerFlag: 2 });
    const hang = () => new Promise<number>(() => {});
    for (let i = 0; i < 5; i++)
      expect(await client.shadow("pricing", user, { control: () => i, candidate: hang })).toBe(i);
    expect(client.takeShadowStats().pricing).toMatchObject({ calls: 5, shadowed: 2, skipped: 3 });
  });

  it("runs nothing extra when the rule does not sample the call", async () => {
    client = clientWith({ sampleRate: 0 });
    const candidate = vi.fn(() => 1);
    expect(await client.shadow("pricing", user, { control: () => 0, candidate })).toBe(0);
    expect(candidate).not.toHaveBeenCalled();
  });

  it("serves the candidate to users the flag gives the new variation; with swapRoles the old code is shadowed", async () => {
    const pilots = { targets: [{ variation: "new", values: ["pilot"] }] };
    client = clientWith({ swapRoles: true }, pilots);
    const control = vi.fn(() => "old");
    expect(
      await client.shadow("pricing", { targetingKey: "pilot" }, { control, candidate: () => "new" }),
    ).toBe("new");
    await flush();
    expect(control).toHaveBeenCalledWith(expect.objectContaining({ shadow: true }));
    await client.close();

    client = clientWith({ swapRoles: false }, pilots);
    const quietControl = vi.fn(() => "old");
    expect(
      await client.shadow(
        "pricing",
        { targetingKey: "pilot" },
        { control: quietControl, candidate: () => "new" },
      ),
    ).toBe("new");
    expect(quietControl).not.toHaveBeenCalled();
  });

  it.each(["user", "call"] as const)(
    "samples within one percentage point of the rate over 100,000 calls, %s stickiness",
    async (stickiness) => {
      client = clientWith({ sampleRate: 10_000, stickiness });
      for (let i = 0; i < 100_000; i++) {
        await client.shadow(
          "pricing",
          { targetingKey: stickiness === "user" ? `user-${i}` : "same-user" },
          { control: () => 0, candidate: () => 0 },
        );
      }
      // Sampled = run, or skipped by the bulkhead (this loop never yields, so runs pile up at the cap).
      const stats = client.takeShadowStats().pricing;
      const sampled = (stats?.shadowed ?? 0) + (stats?.skipped ?? 0);
      expect(Math.abs(sampled / 1000 - 10)).toBeLessThanOrEqual(1);
    },
  );
});
