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
import { type Command, enc } from "./command.js";

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
  const pending = outcomes.filter((o) => o.status === "pending");
  const filed = pending.filter((o) => !o.existing).map((o) => o.changeRequest);
  const waiting = pending.filter((o) => o.existing).map((o) => o.changeRequest);
  const applied = outcomes.length - pending.length;
  if (options.json) printJson(io, importReport(env, dryRun, changes, outcomes));
  else {
    const ids = (list: number[]) => list.map((id) => `#${id}`).join(", ");
    if (applied) io.out(`applied ${plural(applied, "change")} to ${env}`);
    if (filed.length)
      io.out(`filed ${plural(filed.length, "change request")} in ${env}, pending approval: ${ids(filed)}`);
    if (waiting.length)
      io.out(
        `already pending approval in ${env}, not filed again: ${plural(waiting.length, "change request")} ${ids(waiting)}`,
      );
  }
  if (dryRun) return changes.length ? EXIT.changes : EXIT.ok;
  return pending.length ? EXIT.pending : EXIT.ok;
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

/**
 * Stops at the first refusal, saying how far it got: the changes before it stay applied. A state edit the
 * server answers with a request that was already pending (filed by an earlier run) is `existing`.
 */
async function applyInOrder(io: Io, api: Command["api"], env: string, changes: Change[]) {
  const before = await pendingRequests(api, env, changes);
  const outcomes: ChangeOutcome[] = [];
  for (const c of changes) {
    try {
      const outcome = await applyChange(api, env, c);
      outcomes.push(
        outcome.status === "pending" && before.has(outcome.changeRequest)
          ? { ...outcome, existing: true }
          : outcome,
      );
    } catch (error) {
      io.err(
        `stopped at "${describeChange(c)}" after ${outcomes.length} of ${plural(changes.length, "change")}`,
      );
      throw error;
    }
  }
  return outcomes;
}

/** The ids of the environment's pending change requests, when the import may file some. */
async function pendingRequests(api: Command["api"], env: string, changes: Change[]): Promise<Set<number>> {
  if (!changes.some((c) => c.kind === "update-state")) return new Set();
  const { changeRequests } = await api.call<{ changeRequests: { id: number }[] }>(
    "GET",
    `/change-requests?status=pending&environment=${enc(env)}`,
  );
  return new Set(changeRequests.map((r) => r.id));
}
