/** @module Reading an environment into a flags document, and working out (and applying) what an import changes. */
import type { Api } from "./api.js";
import { ApiError } from "./api.js";
import {
  canonical,
  type FlagDocumentEntry,
  type FlagsDocument,
  type SegmentDocumentEntry,
} from "./document.js";
import { plural } from "./io.js";

interface FlagView extends Omit<FlagDocumentEntry, "state"> {
  version: number;
  archived: boolean;
}
interface StateView extends Record<string, unknown> {
  flag: string;
  version: number;
}
interface SegmentView extends Omit<SegmentDocumentEntry, never> {
  version: number;
}

const DEFINITION = [
  "name",
  "description",
  "kind",
  "variations",
  "tags",
  "owner",
  "temporary",
  "clientVisible",
] as const;
const SEGMENT = ["key", "name", "description", "included", "excluded", "rules"] as const;
const STATE = ["on", "offVariation", "targets", "rules", "fallthrough", "prerequisites", "shadow"] as const;
const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const enc = encodeURIComponent;

type Rule = { clauses?: { op: string; values: unknown[] }[] };

function segmentMatches(rules: unknown[]): string[] {
  return (rules as Rule[]).flatMap((rule) =>
    (rule.clauses ?? []).filter((c) => c.op === "segmentMatch").flatMap((c) => c.values.map(String)),
  );
}

/** Segments the flags serve by: rule clauses and shadow sampling's segment. */
function segmentsUsed(flags: FlagDocumentEntry[]): string[] {
  return flags.flatMap((f) => {
    const shadowSegment = (f.state.shadow as { segment?: string } | null)?.segment;
    return [...segmentMatches(f.state.rules), ...(shadowSegment ? [shadowSegment] : [])];
  });
}

export async function readEnvironment(api: Api, env: string): Promise<FlagsDocument> {
  const [{ flags }, { states }] = await Promise.all([
    api.call<{ flags: FlagView[] }>("GET", "/flags"),
    api.call<{ states: StateView[] }>("GET", `/environments/${enc(env)}/flags`),
  ]);
  const stateOf = new Map(states.map((s) => [s.flag, s]));
  const entries: FlagDocumentEntry[] = flags
    .filter((f) => !f.archived && stateOf.has(f.key))
    .map((f) => ({
      key: f.key,
      ...pick(f, DEFINITION),
      state: pick(stateOf.get(f.key) as unknown as FlagDocumentEntry["state"], STATE),
    }));
  return { version: 1, environment: env, flags: entries, segments: await readSegments(api, env, entries) };
}

/** The segments the flags use, and the segments those segments' rules use in turn. */
async function readSegments(api: Api, env: string, flags: FlagDocumentEntry[]) {
  const found = new Map<string, SegmentDocumentEntry>();
  let wanted = new Set(segmentsUsed(flags));
  while (wanted.size > 0) {
    const read = await Promise.all(
      [...wanted].map((key) =>
        api.call<SegmentView>("GET", `/environments/${enc(env)}/segments/${enc(key)}`),
      ),
    );
    for (const s of read) found.set(s.key, pick(s, SEGMENT));
    wanted = new Set(read.flatMap((s) => segmentMatches(s.rules)).filter((key) => !found.has(key)));
  }
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export type Change =
  | { kind: "create-segment"; key: string; entry: SegmentDocumentEntry }
  | { kind: "update-segment"; key: string; entry: SegmentDocumentEntry; version: number }
  | { kind: "create-flag"; key: string; entry: FlagDocumentEntry }
  | { kind: "update-flag"; key: string; entry: FlagDocumentEntry; version: number }
  | { kind: "update-state"; key: string; entry: FlagDocumentEntry };

async function maybe<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 404) return undefined;
    throw e;
  }
}

/** What importing `doc` into `env` would change, in the order it must be applied (segments first). */
export async function planImport(api: Api, env: string, doc: FlagsDocument): Promise<Change[]> {
  const changes: Change[] = [];
  for (const s of doc.segments) {
    const current = await maybe(
      api.call<SegmentView>("GET", `/environments/${enc(env)}/segments/${enc(s.key)}`),
    );
    if (!current) changes.push({ kind: "create-segment", key: s.key, entry: s });
    else if (!same(pick(current, SEGMENT), pick(s, SEGMENT)))
      changes.push({ kind: "update-segment", key: s.key, entry: s, version: current.version });
  }
  const { states } = await api.call<{ states: StateView[] }>("GET", `/environments/${enc(env)}/flags`);
  const stateOf = new Map(states.map((s) => [s.flag, s]));
  for (const f of doc.flags) {
    const current = await maybe(api.call<FlagView>("GET", `/flags/${enc(f.key)}`));
    if (!current) {
      changes.push({ kind: "create-flag", key: f.key, entry: f });
      changes.push({ kind: "update-state", key: f.key, entry: f });
      continue;
    }
    const { kind: _k, ...definition } = pick(f, DEFINITION);
    const { kind: _c, ...currentDefinition } = pick(current, DEFINITION);
    if (!same(definition, currentDefinition))
      changes.push({ kind: "update-flag", key: f.key, entry: f, version: current.version });
    const state = stateOf.get(f.key);
    if (!state || !same(pick(state as unknown as FlagDocumentEntry["state"], STATE), f.state))
      changes.push({ kind: "update-state", key: f.key, entry: f });
  }
  return changes;
}

export function describeChange(c: Change): string {
  switch (c.kind) {
    case "create-segment":
      return `+ segment ${c.key} (${plural(c.entry.included.length, "key")})`;
    case "update-segment":
      return `~ segment ${c.key}`;
    case "create-flag":
      return `+ flag ${c.key} (${c.entry.kind})`;
    case "update-flag":
      return `~ flag ${c.key} definition`;
    case "update-state":
      return `~ flag ${c.key} state: ${c.entry.state.on ? "on" : "off"}`;
  }
}

/**
 * Applied, or (a state edit in an environment that requires approval) filed as a change request;
 * `existing` when the server answered with the same request an earlier run filed (no duplicate).
 */
export type ChangeOutcome =
  | { status: "applied" }
  | { status: "pending"; changeRequest: number; existing?: true };

export async function applyChange(api: Api, env: string, c: Change): Promise<ChangeOutcome> {
  const applied = { status: "applied" } as const;
  switch (c.kind) {
    case "create-segment":
      await api.call("POST", `/environments/${enc(env)}/segments`, c.entry);
      return applied;
    case "update-segment": {
      const { key: _key, ...body } = c.entry;
      await api.call("PUT", `/environments/${enc(env)}/segments/${enc(c.key)}`, {
        ...body,
        version: c.version,
      });
      return applied;
    }
    case "create-flag": {
      const { state: _s, ...definition } = c.entry;
      await api.call("POST", "/flags", definition);
      return applied;
    }
    case "update-flag": {
      const { kind: _k, ...definition } = pick(c.entry, DEFINITION);
      await api.call("PATCH", `/flags/${enc(c.key)}`, { ...definition, version: c.version });
      return applied;
    }
    case "update-state": {
      const result = await api.call<{ changeRequest?: { id: number } }>(
        "PUT",
        `/environments/${enc(env)}/flags/${enc(c.key)}`,
        { ...c.entry.state, reason: "switchyard import" },
        { "if-match": "*" },
      );
      return result.changeRequest ? { status: "pending", changeRequest: result.changeRequest.id } : applied;
    }
  }
}
