/** @module `export` and `import`: an environment's flags as a JSON or YAML document (flags as code). */
import { readFile, writeFile } from "node:fs/promises";
import { parseDocument, serialize } from "../document.js";
import { EXIT, need, UsageError } from "../exit.js";
import { applyChange, describeChange, planImport, readEnvironment } from "../flags-document.js";
import { plural } from "../io.js";
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
  for (const c of changes) io.out(describeChange(c));
  if (changes.length === 0) io.out(`${env} already matches the file`);
  if (options["dry-run"]) return changes.length ? EXIT.changes : EXIT.ok;
  for (const c of changes) await applyChange(api, env, c);
  if (changes.length) io.out(`applied ${plural(changes.length, "change")} to ${env}`);
  return EXIT.ok;
}
