/**
 * @module Pilot-user key lists: pasted as JSON or uploaded as text (one key per line, CSV first column),
 * trimmed, de-duplicated, at most {@link MAX_SEGMENT_KEYS}.
 */
import { PayloadTooLargeError, ValidationError } from "../problem/errors.js";

export const MAX_SEGMENT_KEYS = 100_000;
export const MAX_KEY_LENGTH = 256;

/** Trims, drops blanks, de-duplicates (first occurrence wins) and enforces the limits. */
export function normaliseKeys(keys: readonly string[], field = "included"): string[] {
  const unique = new Set<string>();
  for (const [i, raw] of keys.entries()) {
    const key = raw.trim();
    if (!key) continue;
    if (key.length > MAX_KEY_LENGTH)
      throw ValidationError.field(`${field}.${i}`, `keys are at most ${MAX_KEY_LENGTH} characters`);
    unique.add(key);
  }
  if (unique.size > MAX_SEGMENT_KEYS) {
    throw new PayloadTooLargeError(
      `${field} has ${unique.size.toLocaleString("en")} distinct keys; a segment holds at most ${MAX_SEGMENT_KEYS.toLocaleString("en")}.`,
    );
  }
  return [...unique];
}

/** One key per line; for CSV, the first column (quotes removed); a header named key/id/user is skipped. */
export function parseKeyLines(text: string, csv: boolean): string[] {
  const lines = text.split(/\r?\n/);
  const keys = lines.map((line) => (csv ? firstCsvColumn(line) : line));
  if (csv && keys.length > 0 && /^(key|keys|id|user|user_?id|targeting_?key)$/i.test((keys[0] ?? "").trim()))
    keys.shift();
  return keys;
}

function firstCsvColumn(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('"')) {
    const end = trimmed.indexOf('"', 1);
    return end > 0 ? trimmed.slice(1, end) : trimmed.slice(1);
  }
  return trimmed.split(",")[0] ?? "";
}
