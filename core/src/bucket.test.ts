import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as browser from "./bucket.browser.js";
import { bucketAfter, bucketFor, hashKey, hashPrefix, murmur3, murmur3After } from "./bucket.js";
import { BUCKET_COUNT } from "./model.js";
import { vectors } from "./vectors/index.js";

/** A second MurmurHash3 x86 32-bit, written from the algorithm over TextEncoder bytes, to check the fast one. */
function reference(input: string, seed: number): number {
  const bytes = new TextEncoder().encode(input);
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  const scramble = (k: number) => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  for (let b = 0; b < blocks; b++) {
    const i = b * 4;
    const k = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16);
    h ^= scramble(k | ((bytes[i + 3] as number) << 24));
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = bytes[tail] as number;
    if (rest > 1) k ^= (bytes[tail + 1] as number) << 8;
    if (rest > 2) k ^= (bytes[tail + 2] as number) << 16;
    h ^= scramble(k);
  }
  h ^= bytes.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const anyString = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));

describe("murmur3", () => {
  it.each([
    ["hello", 0, 613153351],
    ["", 0, 0],
    ["", 1, 0x514e28b7],
    ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ])("gives the published answer for %j with seed %i", (input, seed, expected) => {
    expect(murmur3(input, seed)).toBe(expected);
  });

  it("hashes the UTF-8 bytes of any string, like an implementation over TextEncoder", () => {
    for (const s of ["café", "日本語", "😀 emoji", "👍🏽", "ß∂ƒ©", "a\u0000b"]) {
      expect(murmur3(s)).toBe(reference(s, 0));
    }
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => {
        expect(murmur3(s, seed)).toBe(reference(s, seed));
      }),
      { numRuns: 2000 },
    );
  });

  it("encodes a lone surrogate as U+FFFD, as TextEncoder does", () => {
    expect(murmur3("a\ud800b")).toBe(murmur3("a\ufffdb"));
    expect(murmur3("\udc00")).toBe(reference("\udc00", 0));
  });

  it("continues from a hashed prefix exactly as if hashing the whole string", () => {
    fc.assert(
      fc.property(anyString, anyString, (prefix, value) => {
        expect(murmur3After(hashPrefix(prefix), value)).toBe(murmur3(prefix + value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("bucketFor", () => {
  it('is murmur3 of salt + "." + value, into 100,000 buckets', () => {
    fc.assert(
      fc.property(anyString, anyString, (salt, value) => {
        const bucket = bucketFor(salt, value);
        expect(bucket).toBe(murmur3(`${salt}.${value}`) % BUCKET_COUNT);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(BUCKET_COUNT);
        expect(bucketAfter(hashPrefix(`${salt}.`), value)).toBe(bucket);
      }),
      { numRuns: 1000 },
    );
  });

  it("spreads 100,000 keys evenly over ten deciles (each within ±1% of 10%)", () => {
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const d = Math.floor(bucketFor("spread", `user-${i}`) / 10_000);
      deciles[d] = (deciles[d] as number) + 1;
    }
    for (const n of deciles) expect(Math.abs(n / 1000 - 10)).toBeLessThanOrEqual(1);
  });
});

describe("hashKey", () => {
  it('is 16 hex characters: murmur3 of salt + ":" + key with seeds 0 and 0x9747b28c', () => {
    const h = hashKey("env", "alice");
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    expect(h).toBe(hex(murmur3("env:alice", 0)) + hex(murmur3("env:alice", 0x9747b28c)));
  });

  it("differs between salts and never contains the key", () => {
    expect(hashKey("a", "alice")).not.toBe(hashKey("b", "alice"));
    fc.assert(
      fc.property(fc.string({ minLength: 17 }), (key) => {
        expect(hashKey("s", key)).not.toContain(key);
      }),
    );
  });
});

/** Strings rich in what UTF-8 encoders get wrong: astral characters, surrogate pairs and lone surrogates. */
const surrogateHeavy = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom(
        "\ud800",
        "\udbff",
        "\udc00",
        "\udfff",
        "\ud83d\ude00",
        "\u{10ffff}",
        "\u07ff",
        "\u0800",
      ),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));
const anyInput = fc.oneof(anyString, surrogateHeavy);

// What browsers run (core's package.json `browser` map): TextEncoder bytes, no prefix state kept.
describe("the browser's bucketing (bucket.browser.ts) against the server's (bucket.ts)", () => {
  it("answers every shared vector the same", () => {
    for (const [input, seed, expected] of vectors.murmur3)
      expect(browser.murmur3(input, seed)).toBe(expected);
    for (const [salt, value, expected] of vectors.buckets)
      expect(browser.bucketFor(salt, value)).toBe(expected);
    for (const [salt, key, expected] of vectors.hashKey) expect(browser.hashKey(salt, key)).toBe(expected);
  });

  it("hashes any string, astral or lone surrogate included, to the same number", () => {
    for (const s of ["\ud800", "a\udc00b", "\ud83d\ude00\ud83d", "\udfff\ud800", "😀", "\u{10ffff}"]) {
      expect(browser.murmur3(s)).toBe(murmur3(s));
    }
    fc.assert(
      fc.property(anyInput, fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => {
        expect(browser.murmur3(s, seed)).toBe(murmur3(s, seed));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives every salt and value the same bucket and every key the same hash", () => {
    fc.assert(
      fc.property(anyInput, anyInput, (salt, value) => {
        const bucket = bucketFor(salt, value);
        expect(browser.bucketFor(salt, value)).toBe(bucket);
        expect(browser.bucketAfter(browser.hashPrefix(`${salt}.`), value)).toBe(bucket);
        expect(browser.murmur3After(browser.hashPrefix(salt, 7), value)).toBe(murmur3(salt + value, 7));
        expect(browser.hashKey(salt, value)).toBe(hashKey(salt, value));
      }),
      { numRuns: 2000 },
    );
  });
});
