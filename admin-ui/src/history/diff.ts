/**
 * @module A readable diff of two JSON values (an audit entry's before and after): the paths that changed,
 * each with its old and new value. Arrays of objects with an `id` or `key` (rules, targets, variations) are
 * matched by it, so reordering or inserting a rule reads as what happened, not as every later rule changing.
 */

export interface Change {
  /** Dotted path, e.g. `rules[pilots].serve.variation`; "" for the value itself. */
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const identity = (v: unknown): string | undefined => {
  if (!isObject(v)) return undefined;
  const id = v.id ?? v.key;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
};

const join = (path: string, part: string) => (path ? `${path}.${part}` : part);

export function diffValues(before: unknown, after: unknown, path = ""): Change[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined || before === null) {
    return after === undefined || after === null ? [] : [{ path, kind: "added", after }];
  }
  if (after === undefined || after === null) return [{ path, kind: "removed", before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffArrays(before, after, path);
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: "changed", before, after }];
}

function diffArrays(before: unknown[], after: unknown[], path: string): Change[] {
  if (!matchableById(before) || !matchableById(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffValues(before[i], after[i], `${path}[${i}]`)).flat();
  }
  const old = new Map(before.map((v) => [identity(v) as string, v]));
  const neu = new Map(after.map((v) => [identity(v) as string, v]));
  const changes: Change[] = [];
  for (const [id, value] of old) changes.push(...diffValues(value, neu.get(id), `${path}[${id}]`));
  for (const [id, value] of neu)
    if (!old.has(id)) changes.push({ path: `${path}[${id}]`, kind: "added", after: value });
  const order = (list: unknown[]) =>
    list.map(identity).filter((id) => old.has(id as string) && neu.has(id as string));
  const was = order(before);
  const now = order(after);
  if (was.join("\u0000") !== now.join("\u0000"))
    changes.push({ path: `${path} order`, kind: "changed", before: was, after: now });
  return changes;
}

/** Every element has an `id`/`key`, each once: then elements are matched by it rather than by position. */
function matchableById(list: unknown[]): boolean {
  const ids = list.map(identity);
  return ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
}

/** A value as one short line for the diff table. */
export function show(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
