/**
 * @module Flags as code at start-up: the server applies a flags file (the CLI's export format, JSON or YAML)
 * so a local setup or a fresh environment comes up with the team's flags. It creates what is missing and
 * never overwrites what people changed: it remembers the state version it wrote for each flag, and updates
 * a flag from the file again only while that version is still the current one.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Actor } from "../auth/actor.js";
import { ANY_VERSION } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import { createEnvironment } from "../environments/store.js";
import { getState, updateState } from "../flags/state-store.js";
import { createFlag } from "../flags/store.js";
import { createSegment } from "../segments/store.js";

const FILE_ACTOR: Actor = { type: "system", id: null, name: "flags file", role: "admin" };

const StateSchema = z.object({
  on: z.boolean(),
  offVariation: z.string(),
  targets: z.array(z.any()).default([]),
  rules: z.array(z.any()).default([]),
  fallthrough: z.any(),
  prerequisites: z.array(z.any()).default([]),
  shadow: z.any().nullable().default(null),
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
  segments: z
    .array(
      z.object({
        key: z.string().min(1),
        name: z.string().min(1),
        description: z.string().default(""),
        included: z.array(z.string()).default([]),
        excluded: z.array(z.string()).default([]),
        rules: z.array(z.any()).default([]),
      }),
    )
    .default([]),
});
export type FlagsDocument = z.output<typeof DocumentSchema>;

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
  /** Flags people changed since the file last wrote them: left as they are. */
  kept: string[];
}

type Deps = Omit<AppDeps, "rulesets">;

export async function applyFlagsDocument(deps: Deps, doc: FlagsDocument): Promise<FlagsFileReport> {
  const env = doc.environment;
  const report: FlagsFileReport = { created: [], updated: [], kept: [] };
  const environment = await deps.db
    .selectFrom("environments")
    .select("key")
    .where("key", "=", env)
    .executeTakeFirst();
  if (!environment) {
    await createEnvironment(deps, FILE_ACTOR, { key: env, name: env });
    report.created.push(`environment ${env}`);
  }
  const existingSegments = new Set(
    (await deps.db.selectFrom("segments").select("key").where("environment_key", "=", env).execute()).map(
      (s) => s.key,
    ),
  );
  for (const s of doc.segments) {
    if (existingSegments.has(s.key)) continue;
    await createSegment(deps, FILE_ACTOR, env, s);
    report.created.push(`segment ${s.key}`);
  }
  const existingFlags = new Set(
    (await deps.db.selectFrom("flags").select("key").execute()).map((f) => f.key),
  );
  for (const { state, ...definition } of doc.flags) {
    if (!existingFlags.has(definition.key)) {
      await createFlag(deps, FILE_ACTOR, definition);
      report.created.push(`flag ${definition.key}`);
    }
    const content = JSON.stringify(state);
    const current = await getState(deps, env, definition.key);
    const applied = await deps.db
      .selectFrom("flags_file_applied")
      .selectAll()
      .where("environment_key", "=", env)
      .where("flag_key", "=", definition.key)
      .executeTakeFirst();
    // Untouched: still the version the file wrote, or — never written by the file — the initial state.
    const untouched = applied ? applied.state_version === current.version : current.version === 1;
    if (!untouched) {
      report.kept.push(definition.key);
      continue;
    }
    if (applied?.content === content) continue;
    const written = await updateState(
      deps,
      FILE_ACTOR,
      env,
      definition.key,
      ANY_VERSION,
      state,
      "flags file",
    );
    await deps.db
      .insertInto("flags_file_applied")
      .values({ environment_key: env, flag_key: definition.key, state_version: written.version, content })
      .onConflict((oc) =>
        oc.columns(["environment_key", "flag_key"]).doUpdateSet({ state_version: written.version, content }),
      )
      .execute();
    if (applied) report.updated.push(definition.key);
  }
  return report;
}

export async function applyFlagsFile(deps: Deps, path: string): Promise<FlagsFileReport> {
  return applyFlagsDocument(deps, parseFlagsFile(await readFile(path, "utf8")));
}
