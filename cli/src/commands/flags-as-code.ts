/** @module `export` and `import`: an environment's flags as a JSON or YAML document (flags as code). */
import { readFile, writeFile } from "node:fs/promises";
import { parseDocument, serialize } from "../document.js";
import { EXIT, need, UsageError } from "../exit.js";
import {
  applyChange,
  type Change,
  type ChangeOutcome,
  describeChange,
  planImport,
  readEnvironment,
} from "../flags-document.js";
import { type Io, plural, printJson } from "../io.js";
import type { Command } from "./command.js";

export async function exportFlags({ api, io, options }: Command): Promise<number> {
  const env = need(options.env, "--env");
  const format = options.format ?? (options.out?.endsWith(".json") ? "json" : "yaml");
  if (format !== "json" && format !== "yaml") throw new UsageError("--format is json or yaml");
  const text = serialize(await readEnvironment(api, env), format);
  if (options.out) await writeFile(options.out, text);
  else io.out(text.trimEnd());
  return EXIT.ok;
}

export async function importFlags({ api, io, options, args }: Command): Promise<number> {
  const env = need(options.env, "--env");
  const doc = parseDocument(await readFile(need(args[0], "a file to import"), "utf8"));
  const changes = await planImport(api, env, doc);
  const dryRun = options["dry-run"] === true;
  if (!options.json) {
    for (const c of changes) io.out(describeChange(c));
    if (changes.length === 0) io.out(`${env} already matches the file`);
  }
  const outcomes = dryRun ? [] : await applyInOrder(io, api, env, changes);
  const filed = outcomes.flatMap((o) => (o.status === "pending" ? [o.changeRequest] : []));
  const applied = outcomes.length - filed.length;
  if (options.json) printJson(io, importReport(env, dryRun, changes, outcomes));
  else {
    if (applied) io.out(`applied ${plural(applied, "change")} to ${env}`);
    if (filed.length)
      io.out(
        `filed ${plural(filed.length, "change request")} in ${env}, pending approval: ${filed.map((id) => `#${id}`).join(", ")}`,
      );
  }
  if (dryRun) return changes.length ? EXIT.changes : EXIT.ok;
  return filed.length ? EXIT.pending : EXIT.ok;
}

/** `import --json`: every change with what became of it (`planned` on a dry run). */
function importReport(env: string, dryRun: boolean, changes: Change[], outcomes: ChangeOutcome[]) {
  return {
    environment: env,
    dryRun,
    changes: changes.map((c, i) => ({
      kind: c.kind,
      key: c.key,
      description: describeChange(c),
      ...(outcomes[i] ?? { status: "planned" }),
    })),
  };
}

/** Stops at the first refusal, saying how far it got: the changes before it stay applied. */
async function applyInOrder(io: Io, api: Command["api"], env: string, changes: Change[]) {
  const outcomes: ChangeOutcome[] = [];
  for (const c of changes) {
    try {
      outcomes.push(await applyChange(api, env, c));
    } catch (error) {
      io.err(
        `stopped at "${describeChange(c)}" after ${outcomes.length} of ${plural(changes.length, "change")}`,
      );
      throw error;
    }
  }
  return outcomes;
}
