import { describe, expect, it, vi } from "vitest";
import { createDecisions } from "./decisions.js";

describe("decisions", () => {
  it("notifies only the flags whose decision changed and keeps unchanged objects", () => {
    const d = createDecisions();
    d.replace({ a: { value: true, variant: "on", reason: "STATIC" }, b: { value: 1, reason: "STATIC" } });
    const aBefore = d.get("a");
    const onA = vi.fn();
    const onB = vi.fn();
    const onAny = vi.fn();
    d.onFlag("a", onA);
    d.onFlag("b", onB);
    d.onChange(onAny);

    const changed = d.replace({
      a: { value: true, variant: "on", reason: "STATIC" },
      b: { value: 2, reason: "STATIC" },
    });

    expect(changed).toEqual(["b"]);
    expect(d.get("a")).toBe(aBefore);
    expect(onA).not.toHaveBeenCalled();
    expect(onB).toHaveBeenCalledTimes(1);
    expect(onAny).toHaveBeenCalledWith(["b"]);
  });

  it("reports added and removed flags, and a failing listener does not stop the others", () => {
    const d = createDecisions();
    d.replace({ a: { value: true, reason: "STATIC" } });
    const later = vi.fn();
    d.onFlag("a", () => {
      throw new Error("listener bug");
    });
    d.onFlag("a", later);
    expect(d.replace({ c: { value: "x", reason: "STATIC" } })).toEqual(["c", "a"]);
    expect(later).toHaveBeenCalledTimes(1);
    expect(d.get("a")).toBeUndefined();
  });

  it("unsubscribes", () => {
    const d = createDecisions();
    const l = vi.fn();
    const off = d.onFlag("a", l);
    off();
    d.replace({ a: { value: 1, reason: "STATIC" } });
    expect(l).not.toHaveBeenCalled();
  });

  it("holds flags named like Object.prototype members as ordinary keys", () => {
    const d = createDecisions();
    expect(d.get("constructor")).toBeUndefined();
    expect(d.get("toString")).toBeUndefined();
    d.replace({
      constructor: { value: true, reason: "STATIC" },
      toString: { value: "x", reason: "STATIC" },
    });
    const onConstructor = vi.fn();
    const onToString = vi.fn();
    d.onFlag("constructor", onConstructor);
    d.onFlag("toString", onToString);

    expect(d.replace({})).toEqual(["constructor", "toString"]);
    expect(onConstructor).toHaveBeenCalledTimes(1);
    expect(onToString).toHaveBeenCalledTimes(1);
    expect(d.get("constructor")).toBeUndefined();
    expect([...d.all().keys()]).toEqual([]);
  });
});
