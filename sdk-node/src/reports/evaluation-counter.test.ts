import { describe, expect, it } from "vitest";
import { EvaluationCounter } from "./evaluation-counter.js";

describe("EvaluationCounter", () => {
  it("counts per flag and variant and starts a new window on drain", () => {
    let clock = 1_000;
    const counter = new EvaluationCounter(100, () => clock);
    counter.count("checkout", "on");
    counter.count("checkout", "on");
    counter.count("checkout", "off");
    counter.count("unknown-flag", undefined);
    clock = 2_000;
    expect(counter.drain()).toEqual({
      start: 1_000,
      end: 2_000,
      dropped: 0,
      evaluations: [
        { flag: "checkout", variant: "on", count: 2 },
        { flag: "checkout", variant: "off", count: 1 },
        { flag: "unknown-flag", variant: null, count: 1 },
      ],
    });
    expect(counter.isEmpty).toBe(true);
    clock = 3_000;
    expect(counter.drain()).toMatchObject({ start: 2_000, end: 3_000, evaluations: [] });
  });

  it("drops and counts evaluations beyond the bound instead of growing", () => {
    const counter = new EvaluationCounter(2);
    for (let i = 0; i < 1_000; i++) counter.count(`flag-${i}`, "on");
    counter.count("flag-0", "on");
    counter.count("flag-0", "off");
    expect(counter.size).toBe(2);
    const window = counter.drain();
    expect(window.dropped).toBe(999);
    expect(window.evaluations).toEqual([
      { flag: "flag-0", variant: "on", count: 2 },
      { flag: "flag-1", variant: "on", count: 1 },
    ]);
  });

  it("restores an unsent window, merging counts and keeping the bound", () => {
    let clock = 10;
    const counter = new EvaluationCounter(2, () => clock);
    counter.count("a", "on");
    counter.count("b", "on");
    const unsent = counter.drain();
    clock = 20;
    counter.count("a", "on");
    counter.restore({
      ...unsent,
      evaluations: [...unsent.evaluations, { flag: "c", variant: "x", count: 5 }],
    });
    const window = counter.drain();
    expect(window.start).toBe(10);
    expect(window.evaluations).toEqual([
      { flag: "a", variant: "on", count: 2 },
      { flag: "b", variant: "on", count: 1 },
    ]);
    expect(window.dropped).toBe(5);
  });
});
