/**
 * @module Big key lists (segment `included`/`excluded`, flag target `values`) stored out of the cache file's
 * JSON as newline-joined text: `JSON.parse` of 10,000 small strings was most of the start-up time, and
 * `split("\n")` rebuilds the same array several times faster. Only lists that round-trip exactly are moved
 * out: all strings, none holding a newline or a lone surrogate (which UTF-8 cannot carry); the rest stay
 * in the JSON.
 */
import type { Ruleset } from "@switchyard/core";

/** Shorter lists stay inline by default: moving them out saves nothing worth the header entry. */
export const MIN_OUT_OF_LINE = 64;
const NOT_JOINABLE = /[\n\p{Cs}]/u;

/** Where a list goes back: a segment's key list or a flag target's values. */
type ListSlot = { segment: number; field: "included" | "excluded" } | { flag: number; target: number };
/** A list moved out: where it goes, how many keys, the byte length of its text. */
export type ListRef = ListSlot & { count: number; bytes: number };

/** The ruleset with its key lists of `minLength` keys or more emptied, their refs and texts (in file order). */
export function moveListsOut(
  ruleset: Ruleset,
  minLength = MIN_OUT_OF_LINE,
): { inline: Ruleset; refs: ListRef[]; texts: Buffer[] } {
  const joinable = (values: unknown): values is string[] =>
    Array.isArray(values) && values.length >= Math.max(1, minLength) && values.every(joinableKey);
  const refs: ListRef[] = [];
  const texts: Buffer[] = [];
  const take = (values: string[], slot: ListSlot) => {
    const text = Buffer.from(values.join("\n"));
    refs.push({ ...slot, count: values.length, bytes: text.length });
    texts.push(text);
    return [];
  };
  const segments = ruleset.segments.map((segment, i) => {
    const { included, excluded } = segment;
    if (!joinable(included) && !joinable(excluded)) return segment;
    return {
      ...segment,
      ...(joinable(included) && { included: take(included, { segment: i, field: "included" }) }),
      ...(joinable(excluded) && { excluded: take(excluded, { segment: i, field: "excluded" }) }),
    };
  });
  const flags = ruleset.flags.map((flag, i) => {
    if (!flag.targets?.some((t) => joinable(t.values))) return flag;
    const targets = flag.targets.map((t, j) =>
      joinable(t.values) ? { ...t, values: take(t.values, { flag: i, target: j }) } : t,
    );
    return { ...flag, targets };
  });
  return { inline: { ...ruleset, segments, flags }, refs, texts };
}

function joinableKey(value: unknown): boolean {
  return typeof value === "string" && !NOT_JOINABLE.test(value);
}

/** Puts the lists back into a parsed ruleset; `bytes` holds their texts from `start`. Throws if they do not fit. */
export function moveListsIn(ruleset: Ruleset, refs: ListRef[], bytes: Buffer, start: number): void {
  let at = start;
  for (const ref of refs) {
    const values = bytes.toString("utf8", at, at + ref.bytes).split("\n");
    at += ref.bytes;
    if (values.length !== ref.count) throw new Error("corrupt cache file: a key list's length");
    if ("segment" in ref) {
      const segment = ruleset.segments?.[ref.segment];
      if (!segment) throw new Error("corrupt cache file: a key list of a missing segment");
      segment[ref.field] = values;
    } else {
      const target = ruleset.flags?.[ref.flag]?.targets?.[ref.target];
      if (!target) throw new Error("corrupt cache file: a key list of a missing target");
      target.values = values;
    }
  }
  if (at !== bytes.length) throw new Error("corrupt cache file: key lists do not fill the file");
}
