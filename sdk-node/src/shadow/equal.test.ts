import { describe, expect, it } from "vitest";
import { deepEqual } from "./equal.js";

describe("deepEqual (the default shadow comparison)", () => {
  it("compares plain values, arrays and objects structurally, key order aside", () => {
    expect(deepEqual({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(deepEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(deepEqual(null, {})).toBe(false);
  });

  it("compares Map entries, not just that both are Maps", () => {
    expect(deepEqual(new Map([["a", { n: 1 }]]), new Map([["a", { n: 1 }]]))).toBe(true);
    expect(deepEqual(new Map([["a", 1]]), new Map([["a", 2]]))).toBe(false);
    expect(deepEqual(new Map([["a", 1]]), new Map([["b", 1]]))).toBe(false);
    expect(
      deepEqual(
        new Map([["a", 1]]),
        new Map([
          ["a", 1],
          ["b", 2],
        ]),
      ),
    ).toBe(false);
    expect(deepEqual(new Map([[{ id: 1 }, "x"]]), new Map([[{ id: 1 }, "x"]]))).toBe(true);
    expect(deepEqual(new Map([[{ id: 1 }, "x"]]), new Map([[{ id: 2 }, "x"]]))).toBe(false);
    expect(deepEqual(new Map(), {})).toBe(false);
  });

  it("compares Set members", () => {
    expect(deepEqual(new Set([1, 2, 3]), new Set([3, 2, 1]))).toBe(true);
    expect(deepEqual(new Set([1, 2]), new Set([1, 3]))).toBe(false);
    expect(deepEqual(new Set([{ a: 1 }, { a: 2 }]), new Set([{ a: 2 }, { a: 1 }]))).toBe(true);
    expect(deepEqual(new Set([{ a: 1 }, { a: 1 }]), new Set([{ a: 1 }, { a: 2 }]))).toBe(false);
    expect(deepEqual(new Set([1]), new Map([[1, 1]]))).toBe(false);
  });

  it("compares Dates by time, typed arrays and buffers by bytes, regular expressions by source", () => {
    expect(deepEqual(new Date(5), new Date(5))).toBe(true);
    expect(deepEqual(new Date(5), new Date(6))).toBe(false);
    expect(deepEqual(new Date(Number.NaN), new Date(Number.NaN))).toBe(true);
    expect(deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(deepEqual(new Uint8Array([1, 2]), new Uint16Array([1, 2]))).toBe(false);
    expect(deepEqual(new Float64Array([0.5]), new Float64Array([0.5]))).toBe(true);
    expect(deepEqual(Buffer.from("ab"), Buffer.from("ab"))).toBe(true);
    expect(deepEqual(new Uint8Array([1]).buffer, new Uint8Array([2]).buffer)).toBe(false);
    expect(deepEqual(/a/g, /a/g)).toBe(true);
    expect(deepEqual(/a/g, /a/i)).toBe(false);
  });

  it("tells instances of different classes apart and ends on cycles", () => {
    class Price {
      constructor(readonly cents: number) {}
    }
    expect(deepEqual(new Price(1), new Price(1))).toBe(true);
    expect(deepEqual(new Price(1), { cents: 1 })).toBe(false);
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    const b: Record<string, unknown> = { n: 1 };
    b.self = b;
    expect(deepEqual(a, b)).toBe(true);
    const c: Record<string, unknown> = { n: 2 };
    c.self = c;
    expect(deepEqual(a, c)).toBe(false);
  });
});
