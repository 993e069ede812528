/**
 * @module Structural equality of two results, the default shadow comparison: plain objects and arrays by
 * their own enumerable keys, Maps by entries, Sets by members, Dates by time, typed arrays and buffers by
 * bytes, regular expressions by source and flags. Objects of different classes are never equal. Cycles end:
 * a pair already being compared counts as equal while its comparison is under way.
 */

/** Pairs under comparison (a → the b values it is being compared with), for cycles. */
type InProgress = Map<object, Set<object>>;

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return equal(a, b, new Map());
}

function equal(a: unknown, b: unknown, inProgress: InProgress): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const partners = inProgress.get(a);
  if (partners?.has(b)) return true;
  if (partners) partners.add(b);
  else inProgress.set(a, new Set([b]));
  try {
    return sameContent(a, b, inProgress);
  } finally {
    inProgress.get(a)?.delete(b);
  }
}

/** Both have the same prototype; compares what that kind of object holds. */
function sameContent(a: object, b: object, inProgress: InProgress): boolean {
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
  if (ArrayBuffer.isView(a)) return sameBytes(a, b as ArrayBufferView);
  if (a instanceof ArrayBuffer) return sameBytes(new Uint8Array(a), new Uint8Array(b as ArrayBuffer));
  if (a instanceof Map) return sameEntries(a, b as Map<unknown, unknown>, inProgress);
  if (a instanceof Set) return sameMembers(a, b as Set<unknown>, inProgress);
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key)) return false;
    if (!equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], inProgress))
      return false;
  }
  return true;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Keys match by identity first; an object key without an identical twin may match an equal one. */
function sameEntries(a: Map<unknown, unknown>, b: Map<unknown, unknown>, inProgress: InProgress): boolean {
  if (a.size !== b.size) return false;
  const unmatched = new Set(b.keys());
  for (const [key, value] of a) {
    if (b.has(key)) {
      if (!equal(value, b.get(key), inProgress)) return false;
      unmatched.delete(key);
      continue;
    }
    const twin = [...unmatched].find(
      (other) => equal(key, other, inProgress) && equal(value, b.get(other), inProgress),
    );
    if (twin === undefined) return false;
    unmatched.delete(twin);
  }
  return true;
}

function sameMembers(a: Set<unknown>, b: Set<unknown>, inProgress: InProgress): boolean {
  if (a.size !== b.size) return false;
  const unmatched = new Set(b);
  for (const member of a) {
    if (unmatched.delete(member)) continue;
    const twin = [...unmatched].find((other) => equal(member, other, inProgress));
    if (twin === undefined) return false;
    unmatched.delete(twin);
  }
  return true;
}
