import { describe, expect, it } from "vitest";
import { initialSprt, sprtStep } from "./sprt.js";

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds batches of 100 calls at the given true rate; returns the calls seen at the trip, or undefined. */
function watch(rate: number, rand: () => number, batches: number) {
  const config = { limit: 0.01, alpha: 0.01 };
  let state = initialSprt();
  for (let b = 0; b < batches; b++) {
    let events = 0;
    for (let i = 0; i < 100; i++) if (rand() < rate) events++;
    const r = sprtStep(config, state, 100, events);
    state = r.state;
    if (r.tripped) return state.trials;
  }
  return undefined;
}

describe("guard sequential test", () => {
  it("a few early mismatches do not trip it", () => {
    const r = sprtStep({ limit: 0.01 }, initialSprt(), 20, 3);
    expect(r.tripped).toBe(false);
  });

  it("false-trip rate at the acceptable rate stays under alpha (seeded simulation, 400 runs × 20,000 calls)", () => {
    const rand = mulberry32(7);
    let trips = 0;
    for (let run = 0; run < 400; run++) if (watch(0.005, rand, 200) !== undefined) trips++;
    // alpha = 1% → expected ≤ 4 of 400; allow sampling noise up to 2%.
    expect(trips / 400).toBeLessThanOrEqual(0.02);
  });

  it("a real regression (3× the limit) trips every run, within a few thousand calls", () => {
    const rand = mulberry32(11);
    for (let run = 0; run < 50; run++) {
      const at = watch(0.03, rand, 200);
      expect(at).toBeDefined();
      expect(at).toBeLessThanOrEqual(3000);
    }
  });

  it("rejects bad configuration and counts", () => {
    expect(() => sprtStep({ limit: 0.01, acceptable: 0.02 }, initialSprt(), 1, 0)).toThrow(/acceptable/);
    expect(() => sprtStep({ limit: 0.01 }, initialSprt(), 1, 2)).toThrow(/events/);
  });
});
