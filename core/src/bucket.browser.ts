/**
 * @module Sticky bucketing for browsers (core's package.json `browser` map swaps it in for bucket.ts): the
 * same MurmurHash3 (x86, 32-bit) over the same UTF-8 bytes, written for size rather than the server's speed.
 * The browser's own TextEncoder does the UTF-8 (lone surrogates as U+FFFD, like bucket.ts); a property test
 * holds both implementations to the same answers.
 */
import type * as Bucket from "./bucket.js";
import { BUCKET_COUNT } from "./model.js";

export type { HashPrefix } from "./bucket.js";

const utf8 = new TextEncoder();
const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const scramble = (k: number) => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);

export const murmur3: typeof Bucket.murmur3 = (input, seed = 0) => {
  const bytes = utf8.encode(input);
  let h = seed;
  let k = 0;
  let i = 0;
  for (; i < bytes.length; i++) {
    k |= (bytes[i] as number) << (i << 3);
    if ((i & 3) === 3) {
      h ^= scramble(k);
      h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
      k = 0;
    }
  }
  if (i & 3) h ^= scramble(k);
  h ^= i;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** Nothing is hashed ahead here: `rest` keeps the prefix's text, hashed with the value at each call. */
export const hashPrefix: typeof Bucket.hashPrefix = (prefix, seed = 0) => ({
  h: seed,
  rest: prefix,
  length: 0,
});

export const murmur3After: typeof Bucket.murmur3After = (prefix, value) =>
  murmur3(prefix.rest + value, prefix.h);

export const bucketAfter: typeof Bucket.bucketAfter = (prefix, value) =>
  murmur3After(prefix, value) % BUCKET_COUNT;

export const bucketFor: typeof Bucket.bucketFor = (salt, value) => murmur3(`${salt}.${value}`) % BUCKET_COUNT;

const hex8 = (n: number) => n.toString(16).padStart(8, "0");

export const hashKey: typeof Bucket.hashKey = (salt, key) =>
  hex8(murmur3(`${salt}:${key}`)) + hex8(murmur3(`${salt}:${key}`, 0x9747b28c));
