/**
 * @module The `matches` operator in browsers (core's package.json `browser` map swaps it in for
 * safe-regexp.ts). The server vetted every pattern of a browser-safe ruleset with the full guard
 * (regexp-guard.ts) and sent each one's input bound with it (`Clause.maxInput`), so the page ships no guard:
 * it compiles the pattern and keeps the server's bound, capped at the guard's 1,024 (a cached ruleset may have
 * been edited: no bound read from it lets a value past what the guard ever allows). A pattern without a bound (refused by the server, or
 * not from a browser-safe ruleset) or one this browser cannot compile is refused: the flag serves the
 * caller's default with PARSE_ERROR and this message, as the server would.
 */
import type * as Guard from "./regexp-guard.js";

export type { SafePattern } from "./regexp-guard.js";

export class UnsafePatternError extends Error {}

export const safePattern: typeof Guard.safePattern = (pattern, maxInput = 0) => {
  try {
    if (maxInput > 0) return { regexp: new RegExp(pattern, "u"), maxInput: Math.min(maxInput, 1024) };
  } catch {}
  throw new UnsafePatternError(`pattern ${pattern} not vetted or invalid`);
};

export const safeRegExp: typeof Guard.safeRegExp = (pattern) => safePattern(pattern).regexp;
