/**
 * @module Sticky bucketing: MurmurHash3 (x86, 32-bit) over UTF-8, identical in every runtime.
 * The UTF-8 encoding is done here (not with Buffer or TextEncoder) so Node and browsers hash the same bytes.
 */
import { BUCKET_COUNT } from "./model.js";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The UTF-8 bytes of `input` as a byte array; lone surrogates encode as U+FFFD, as TextEncoder does. */
function utf8(input: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    let c = input.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length) {
      const next = input.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function isAscii(input: string): boolean {
  for (let i = 0; i < input.length; i++) if (input.charCodeAt(i) > 0x7f) return false;
  return true;
}

function byteString(bytes: number[]): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** MurmurHash3 state after a fixed prefix: its whole 4-byte blocks hashed, the rest kept as bytes. */
export interface HashPrefix {
  h: number;
  rest: string;
  length: number;
}

const toBytes = (input: string) => (isAscii(input) ? input : byteString(utf8(input)));

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, C2);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Byte `j` of `rest + data` without building that string. */
const byteAt = (rest: string, data: string, j: number) =>
  j < rest.length ? rest.charCodeAt(j) : data.charCodeAt(j - rest.length);

/** Hashes the prefix once, so each bucketing call hashes only the value (rules are compiled, not re-run). */
export function hashPrefix(prefix: string, seed = 0): HashPrefix {
  const data = toBytes(prefix);
  const blocks = data.length & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(
      h,
      data.charCodeAt(i) |
        (data.charCodeAt(i + 1) << 8) |
        (data.charCodeAt(i + 2) << 16) |
        (data.charCodeAt(i + 3) << 24),
    );
  }
  return { h, rest: data.slice(blocks), length: data.length };
}

/** MurmurHash3 x86 32-bit of prefix + value, continuing from the prefix's state. */
export function murmur3After(prefix: HashPrefix, value: string): number {
  const data = toBytes(value);
  const rest = prefix.rest;
  const length = rest.length + data.length;
  const blocks = length & ~3;
  let h = prefix.h;
  let i = 0;
  // The first block may straddle the prefix's leftover bytes and the value.
  for (; i < blocks && i < rest.length; i += 4) {
    h = mixBlock(
      h,
      byteAt(rest, data, i) |
        (byteAt(rest, data, i + 1) << 8) |
        (byteAt(rest, data, i + 2) << 16) |
        (byteAt(rest, data, i + 3) << 24),
    );
  }
  for (let j = i - rest.length; i < blocks; i += 4, j += 4) {
    h = mixBlock(
      h,
      data.charCodeAt(j) |
        (data.charCodeAt(j + 1) << 8) |
        (data.charCodeAt(j + 2) << 16) |
        (data.charCodeAt(j + 3) << 24),
    );
  }
  const tail = length & 3;
  if (tail) {
    let k = 0;
    if (tail === 3) k ^= byteAt(rest, data, blocks + 2) << 16;
    if (tail >= 2) k ^= byteAt(rest, data, blocks + 1) << 8;
    k ^= byteAt(rest, data, blocks);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= prefix.length + length - rest.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const EMPTY_PREFIX: HashPrefix = { h: 0, rest: "", length: 0 };

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `input`, as an unsigned 32-bit integer. */
export function murmur3(input: string, seed = 0): number {
  return murmur3After(seed === 0 ? EMPTY_PREFIX : { h: seed >>> 0, rest: "", length: 0 }, input);
}

/** The bucket (0..99,999) of `value` for a flag's `salt`. Growing a percentage only adds buckets. */
export function bucketFor(salt: string, value: string): number {
  return murmur3After(hashPrefix(`${salt}.`), value) % BUCKET_COUNT;
}

/** The same bucket, from a prefix hashed at compile time (see `hashPrefix(salt + ".")`). */
export function bucketAfter(prefix: HashPrefix, value: string): number {
  return murmur3After(prefix, value) % BUCKET_COUNT;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/** Browser-safe hash of a pilot-user key ("murmur3x2-64"): 16 hex characters, never the raw key. */
export function hashKey(salt: string, key: string): string {
  const input = `${salt}:${key}`;
  return hex8(murmur3(input, 0)) + hex8(murmur3(input, 0x9747b28c));
}
