// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from "vitest";
import { CACHE_FORMAT, createStorageCache } from "./storage-cache.js";

const isBox = (v: unknown): v is { n: number } => typeof (v as { n?: unknown })?.n === "number";

describe("storage cache", () => {
  beforeEach(() => localStorage.clear());

  it("round-trips under a versioned key scoped to server and client key", () => {
    const a = createStorageCache(localStorage, "https://a|key1|local", 1000, isBox);
    const b = createStorageCache(localStorage, "https://a|key2|local", 1000, isBox);
    a.save({ n: 1 });
    expect(a.load()).toEqual({ n: 1 });
    expect(b.load()).toBeUndefined();
    expect(Object.keys(localStorage).every((k) => k.startsWith(`switchyard:v${CACHE_FORMAT}:`))).toBe(true);
  });

  it("removes entries of other format versions when writing, and nothing else", () => {
    const other = createStorageCache(localStorage, "https://a|key2|local", 1000, isBox);
    other.save({ n: 2 });
    const current = Object.keys(localStorage);
    const stale = [
      "switchyard:v0:abc",
      `switchyard:v${CACHE_FORMAT - 1}:def`,
      `switchyard:v${CACHE_FORMAT + 1}:g`,
    ];
    for (const key of [...stale, "app:settings", "switchyard-theme"]) localStorage.setItem(key, "{}");
    const cache = createStorageCache(localStorage, "https://a|key1|local", 1000, isBox);
    expect(cache.load()).toBeUndefined();
    expect(localStorage.length).toBe(6); // reading removes nothing

    cache.save({ n: 1 });
    for (const key of stale) expect(localStorage.getItem(key), key).toBeNull();
    expect(localStorage.length).toBe(4);
    expect(localStorage.getItem("app:settings")).toBe("{}");
    expect(localStorage.getItem("switchyard-theme")).toBe("{}");
    expect(localStorage.getItem(current[0]!)).not.toBeNull();
    expect(other.load()).toEqual({ n: 2 });
    expect(cache.load()).toEqual({ n: 1 });
  });

  it("ignores and removes a corrupt or invalid entry", () => {
    const cache = createStorageCache(localStorage, "s", 1000, isBox);
    cache.save({ n: 1 });
    const key = Object.keys(localStorage)[0]!;
    localStorage.setItem(key, "{not json");
    expect(cache.load()).toBeUndefined();
    expect(localStorage.getItem(key)).toBeNull();
    localStorage.setItem(key, JSON.stringify({ n: "one" }));
    expect(cache.load()).toBeUndefined();
    expect(localStorage.getItem(key)).toBeNull();
  });

  it("does not keep a payload above the size bound, and drops the older entry", () => {
    const cache = createStorageCache(localStorage, "s", 20, (v): v is { s: string } => true);
    cache.save({ s: "small" });
    expect(cache.load()).toEqual({ s: "small" });
    cache.save({ s: "x".repeat(100) });
    expect(cache.load()).toBeUndefined();
    expect(localStorage.length).toBe(0);
  });

  it("survives a storage that throws (quota, privacy mode)", () => {
    const throwing = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {
        throw new Error("denied");
      },
    } as unknown as Storage;
    const cache = createStorageCache(throwing, "s", 100, isBox);
    expect(() => cache.save({ n: 1 })).not.toThrow();
    expect(cache.load()).toBeUndefined();
    expect(createStorageCache(null, "s", 100, isBox).load()).toBeUndefined();
  });
});
