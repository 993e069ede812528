/**
 * @module Pasted or uploaded pilot-user keys, parsed in chunks that yield to the browser between them, so
 * 100,000 keys never freeze the page: one key per line (CSV: the first column, a key/id header skipped),
 * trimmed, de-duplicated, and lines the server would refuse reported with their line number.
 */

export const MAX_KEYS = 100_000;
export const MAX_KEY_LENGTH = 256;
const CHUNK = 5_000;

export interface ParsedKeys {
  keys: string[];
  duplicates: number;
  invalid: { line: number; reason: string }[];
  /** How many times parsing yielded to the browser. */
  chunks: number;
}

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function firstColumn(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('"')) {
    const end = trimmed.indexOf('"', 1);
    return end > 0 ? trimmed.slice(1, end) : trimmed.slice(1);
  }
  return trimmed.split(",")[0] ?? "";
}

/**
 * Parses `text`; with a `signal`, gives up between chunks once it is aborted (rejecting with an
 * `AbortError`), so text pasted again replaces a parse still running.
 */
export async function parseKeys(
  text: string,
  options: { csv?: boolean; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ParsedKeys> {
  const lines = text.split(/\r?\n/);
  const seen = new Set<string>();
  const invalid: ParsedKeys["invalid"] = [];
  let duplicates = 0;
  let chunks = 0;
  let start = 0;
  if (options.csv && /^(key|keys|id|user|user_?id|targeting_?key)$/i.test(firstColumn(lines[0] ?? "").trim()))
    start = 1;
  for (let i = start; i < lines.length; i += CHUNK) {
    const end = Math.min(lines.length, i + CHUNK);
    for (let j = i; j < end; j++) {
      const key = (options.csv ? firstColumn(lines[j] as string) : (lines[j] as string)).trim();
      if (!key) continue;
      if (key.length > MAX_KEY_LENGTH)
        invalid.push({ line: j + 1, reason: `longer than ${MAX_KEY_LENGTH} characters` });
      else if (seen.has(key)) duplicates++;
      else seen.add(key);
    }
    options.onProgress?.(end, lines.length);
    chunks++;
    await yieldToBrowser();
    options.signal?.throwIfAborted();
  }
  if (seen.size > MAX_KEYS)
    invalid.push({
      line: 0,
      reason: `${seen.size.toLocaleString()} keys: a segment holds at most ${MAX_KEYS.toLocaleString()}`,
    });
  return { keys: [...seen], duplicates, invalid, chunks };
}
