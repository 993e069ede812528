/**
 * @module Flags as code at start-up: the server applies a flags file (the CLI's export format, JSON or YAML)
 * so a local setup or a fresh environment comes up with the team's flags. It creates what is missing and
 * never overwrites what people changed: it remembers the version it wrote for each flag state and segment,
 * and writes one again only based on that version (a person's edit in between makes the write a conflict,
 * and the flag or segment is kept as they left it). A frozen environment is skipped with a warning rather
 * than keeping the server from starting.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Actor } from "../auth/actor.js";
import type { AppDeps } from "../deps.js";
import { createEnvironment } from "../environments/store.js";
import { ShadowSchema } from "../flags/rule-schemas.js";
import { updateState } from "../flags/state-store.js";
import { createFlag } from "../flags/store.js";
import { ConflictError, FrozenError } from "../problem/errors.js";
import { createSegment, updateSegment } from "../segments/store.js";

const FILE_ACTOR: Actor = { type: "system", id: null, name: "flags file", role: "admin" };

const StateSchema = z.object({
  on: z.boolean(),
  offVariation: z.string(),
  targets: z.array(z.any()).default([]),
  rules: z.array(z.any()).default([]),
  fallthrough: z.any(),
  prerequisites: z.array(z.any()).default([]),
  shadow: ShadowSchema.nullable().default(null),
});
const SegmentSchema = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  description: z.string().default(""),
  included: z.array(z.string()).default([]),
  excluded: z.array(z.string()).default([]),
  rules: z.array(z.any()).default([]),
});
const DocumentSchema = z.object({
  version: z.literal(1),
  environment: z.string().min(1),
  flags: z.array(
    z.object({
      key: z.string().min(1),
      name: z.string().min(1),
      kind: z.enum(["boolean", "string", "number", "json"]),
      description: z.string().default(""),
      variations: z.array(z.object({ key: z.string(), value: z.any() }).passthrough()).optional(),
      tags: z.array(z.string()).default([]),
      owner: z.string().nullable().default(null),
      temporary: z.boolean().default(false),
      clientVisible: z.boolean().default(false),
      state: StateSchema,
    }),
  ),
  segments: z.array(SegmentSchema).default([]),
});
export type FlagsDocument = z.output<typeof DocumentSchema>;
type FileSegment = z.output<typeof SegmentSchema>;
type FileFlag = FlagsDocument["flags"][number];

export function parseFlagsFile(text: string): FlagsDocument {
  const raw = text.trimStart().startsWith("{") ? JSON.parse(text) : parseYaml(text);
  const parsed = DocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`flags file: ${first?.path.join(".") || "(document)"}: ${first?.message}`);
  }
  return parsed.data;
}

export interface FlagsFileReport {
  created: string[];
  updated: string[];
  /** Flags and segments people changed since the file last wrote them: left as they are. */
  kept: string[];
  /** Left for a later start because an environment they touch is frozen. */
  skipped: string[];
}

type Deps = Omit<AppDeps, "rulesets">;

export async function applyFlagsDocument(deps: Deps, doc: FlagsDocument): Promise<FlagsFileReport> {
  const env = doc.environment;
  const report: FlagsFileReport = { created: [], updated: [], kept: [], skipped: [] };
  /** Runs one write; a freeze skips it (with a warning), anything else stops the start. */
  const unlessFrozen = async (what: string, write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      if (!(error instanceof FrozenError)) throw error;
      deps.logger.warn({ what, reason: error.message }, "flags file: skipped, the environment is frozen");
      report.skipped.push(what);
    }
  };
  const environment = await deps.db
    .selectFrom("environments")
    .select("key")
    .where("key", "=", env)
    .executeTakeFirst();
  if (!environment) {
    await createEnvironment(deps, FILE_ACTOR, { key: env, name: env });
    report.created.push(`environment ${env}`);
  }
  for (const segment of doc.segments) {
    await unlessFrozen(`segment ${segment.key}`, () => applySegment(deps, env, segment, report));
  }
  const existingFlags = new Set(
    (await deps.db.selectFrom("flags").select("key").execute()).map((f) => f.key),
  );
  for (const flag of doc.flags) {
    await unlessFrozen(`flag ${flag.key}`, () =>
      applyFlag(deps, env, flag, existingFlags.has(flag.key), report),
    );
  }
  return report;
}

async function applySegment(deps: Deps, env: string, segment: FileSegment, report: FlagsFileReport) {
  const content = JSON.stringify(segment);
  const remember = (version: number) =>
    deps.db
      .insertInto("flags_file_segments")
      .values({ environment_key: env, segment_key: segment.key, segment_version: version, content })
      .onConflict((oc) =>
        oc.columns(["environment_key", "segment_key"]).doUpdateSet({ segment_version: version, content }),
      )
      .execute();
  const existing = await deps.db
    .selectFrom("segments")
    .select("version")
    .where("environment_key", "=", env)
    .where("key", "=", segment.key)
    .executeTakeFirst();
  if (!existing) {
    const created = await createSegment(deps, FILE_ACTOR, env, segment);
    await remember(created.version);
    report.created.push(`segment ${segment.key}`);
    return;
  }
  const applied = await deps.db
    .selectFrom("flags_file_segments")
    .selectAll()
    .where("environment_key", "=", env)
    .where("segment_key", "=", segment.key)
    .executeTakeFirst();
  // Never written by the file (someone made it), or edited since: theirs.
  if (!applied || applied.segment_version !== existing.version) {
    report.kept.push(`segment ${segment.key}`);
    return;
  }
  if (applied.content === content) return;
  const { key: _key, ...fields } = segment;
  try {
    const written = await updateSegment(deps, FILE_ACTOR, env, segment.key, applied.segment_version, fields);
    await remember(written.version);
    report.updated.push(`segment ${segment.key}`);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    report.kept.push(`segment ${segment.key}`); // edited between our read and our write
  }
}

async function applyFlag(deps: Deps, env: string, flag: FileFlag, exists: boolean, report: FlagsFileReport) {
  const { state, ...definition } = flag;
  if (!exists) {
    await createFlag(deps, FILE_ACTOR, definition);
    report.created.push(`flag ${definition.key}`);
  }
  const content = JSON.stringify(state);
  const applied = await deps.db
    .selectFrom("flags_file_applied")
    .selectAll()
    .where("environment_key", "=", env)
    .where("flag_key", "=", definition.key)
    .executeTakeFirst();
  if (applied?.content === content) return;
  // Written based on the version the file wrote last — or the initial state (version 1) if it never did —
  // so the version check and the write are one step: anyone's edit since makes it a conflict.
  const base = applied?.state_version ?? 1;
  try {
    const written = await updateState(deps, FILE_ACTOR, env, definition.key, base, state, "flags file");
    await deps.db
      .insertInto("flags_file_applied")
      .values({ environment_key: env, flag_key: definition.key, state_version: written.version, content })
      .onConflict((oc) =>
        oc.columns(["environment_key", "flag_key"]).doUpdateSet({ state_version: written.version, content }),
      )
      .execute();
    if (applied) report.updated.push(definition.key);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    report.kept.push(definition.key);
  }
}

export async function applyFlagsFile(deps: Deps, path: string): Promise<FlagsFileReport> {
  return applyFlagsDocument(deps, parseFlagsFile(await readFile(path, "utf8")));
}
