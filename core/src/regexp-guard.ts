/**
 * @module The `matches` operator's guard. Browsers have no linear-time regex engine, so a pattern is
 * admitted only when its worst-case backtracking is bounded, and the input it may test is bounded with it.
 *
 * - Exponential shapes are refused: a repeated group that contains a quantifier or an alternation
 *   (`(a+)+`, `(a|aa)+`, `(\w|\d)*`), and backreferences.
 * - Polynomial shapes are priced: with q unbounded quantifiers (`*`, `+`, `{n,}`, large `{n,m}`) a search
 *   can try about n^(q+1)/(q+1)! paths over an input of n characters, times the choices of the bounded ones
 *   (`?` doubles, `{n,m}` multiplies by m-n+1). The longest input kept within {@link STEP_BUDGET} is the
 *   pattern's input bound (at most {@link MAX_INPUT}); a longer value does not match. A pattern that could
 *   not test even {@link MIN_INPUT} characters is refused.
 */

export const MAX_PATTERN = 256;
export const MAX_INPUT = 1024;
const MIN_INPUT = 32;
/** About 10 ms of backtracking on the project's machine (measured: 1e6 steps ≈ 1 ms). */
const STEP_BUDGET = 1e7;
/** `{n,m}` with a wider range than this is priced as unbounded. */
const SMALL_RANGE = 16;
/** A quantifier: `*`, `+`, `?`, `{n}`, `{n,}` or `{n,m}`. */
const QUANTIFIER = /[*+?]|\{(\d+)(?:(,)(\d*))?\}/y;

export class UnsafePatternError extends Error {}

export interface SafePattern {
  regexp: RegExp;
  /** Values longer than this never match. */
  maxInput: number;
}

const refuse = (pattern: string): never => {
  throw new UnsafePatternError(`pattern ${pattern} could backtrack catastrophically`);
};

/**
 * Walks the pattern once, refusing exponential shapes; returns how many unbounded quantifiers it has and
 * the product of the bounded ones' choices.
 */
function scan(pattern: string): [unbounded: number, choices: number] {
  // Per open group: 1 once it holds a quantifier or an alternation, so repeating it is ambiguous.
  const open: number[] = [];
  let unbounded = 0;
  let choices = 1;
  let closed = 0; // the group that just closed was ambiguous
  let i = 0;
  while (i < pattern.length) {
    QUANTIFIER.lastIndex = i;
    const q = i > 0 ? QUANTIFIER.exec(pattern) : null;
    if (q) {
      const token = q[0];
      const min = token === "+" ? 1 : q[1] ? Number(q[1]) : 0;
      const max = token === "?" ? 1 : q[1] && !q[2] ? min : q[3] ? Number(q[3]) : Number.POSITIVE_INFINITY;
      if (max > 1 && closed) refuse(pattern);
      if (max - min > SMALL_RANGE) unbounded++;
      else choices *= max - min + 1;
      if (open.length) open[open.length - 1] = 1;
      i += token.length + (pattern[i + token.length] === "?" ? 1 : 0); // a lazy quantifier's "?"
      closed = 0;
      continue;
    }
    closed = 0;
    const c = pattern[i++];
    if (c === "\\") {
      if (/[1-9k]/.test(pattern[i] ?? "")) refuse(pattern); // backreference
      i++;
    } else if (c === "[") {
      while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "(") {
      open.push(0);
      if (pattern[i] === "?") {
        const named = pattern[i + 1] === "<" && pattern[i + 2] !== "=" && pattern[i + 2] !== "!";
        i = named ? Math.max(pattern.indexOf(">", i), i) + 1 : i + (pattern[i + 1] === "<" ? 3 : 2);
      }
    } else if (c === ")") {
      closed = open.pop() ?? 0;
      if (closed && open.length) open[open.length - 1] = 1;
    } else if (c === "|" && open.length) {
      open[open.length - 1] = 1;
    }
  }
  return [unbounded, choices];
}

/**
 * Compiles a `matches` pattern with its input bound, refusing shapes that could backtrack catastrophically.
 * `_serverBound` is the bound a browser-safe ruleset carries for browsers (safe-regexp.browser.ts trusts it);
 * this guard always computes its own.
 */
export function safePattern(pattern: string, _serverBound?: number): SafePattern {
  if (pattern.length > MAX_PATTERN)
    throw new UnsafePatternError(`pattern longer than ${MAX_PATTERN} characters`);
  const [unbounded, choices] = scan(pattern);
  let paths = choices; // worst-case paths over n characters: choices × n^(q+1) / (q+1)!
  for (let k = 2; k <= unbounded + 1; k++) paths /= k;
  let maxInput = MAX_INPUT;
  while (maxInput >= MIN_INPUT && paths * maxInput ** (unbounded + 1) > STEP_BUDGET) maxInput /= 2;
  if (maxInput < MIN_INPUT) refuse(pattern);
  try {
    return { regexp: new RegExp(pattern, "u"), maxInput };
  } catch {
    throw new UnsafePatternError(`pattern ${pattern} is not a valid regular expression`);
  }
}

/** Compiles a `matches` pattern, refusing shapes that could backtrack catastrophically. */
export function safeRegExp(pattern: string): RegExp {
  return safePattern(pattern).regexp;
}
