/**
 * @module The `switchyard` command. Exit codes a CI job can rely on: 0 done, 1 the API refused or failed
 * (its problem on stderr), 2 a usage mistake, 3 `--dry-run`/`diff` found changes.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type Api, ApiError, createApi } from "./api.js";
import { parseDocument, serialize } from "./document.js";
import { applyChange, describeChange, planImport, readEnvironment } from "./flags-document.js";
import { generateTypes } from "./types.js";

export const EXIT = { ok: 0, api: 1, usage: 2, changes: 3 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

const USAGE = `switchyard <command> [options]   (SWITCHYARD_URL, SWITCHYARD_TOKEN or --url, --token)

  flags list [--env E] [--tag T] [--json]
  flag on|off <key> --env E
  flag kill <key> --env E --reason "…"
  promote --from E --to E [--to E…] (--tag T | --flag K [--flag K…]) [--gate approval] [--dry-run] [--json]
  freeze <env> --reason "…" --until <ISO date>      unfreeze <env>
  export --env E [--format json|yaml] [--out FILE]
  import --env E <FILE> [--dry-run]
  types --env E [--out FILE]`;

class UsageError extends Error {}

const need = (value: string | undefined, what: string): string => {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
};
const enc = encodeURIComponent;

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        token: { type: "string" },
        env: { type: "string" },
        tag: { type: "string" },
        flag: { type: "string", multiple: true },
        from: { type: "string" },
        to: { type: "string", multiple: true },
        gate: { type: "string" },
        reason: { type: "string" },
        until: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help || positionals.length === 0) {
      io.out(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const url = need(values.url ?? io.env.SWITCHYARD_URL, "--url (or SWITCHYARD_URL)");
    const token = need(values.token ?? io.env.SWITCHYARD_TOKEN, "--token (or SWITCHYARD_TOKEN)");
    const api = createApi(url, token, io.fetch);
    const [command, sub, arg] = positionals;
    switch (command) {
      case "flags":
        return await listFlags(api, io, values);
      case "flag":
        return await flagCommand(api, io, need(sub, "on|off|kill"), need(arg, "a flag key"), values);
      case "promote":
        return await promote(api, io, values);
      case "freeze":
        await api.call("PUT", `/environments/${enc(need(sub, "an environment"))}/freeze`, {
          reason: need(values.reason, "--reason"),
          until: need(values.until, "--until"),
        });
        io.out(`${sub} frozen until ${values.until}`);
        return EXIT.ok;
      case "unfreeze":
        await api.call("DELETE", `/environments/${enc(need(sub, "an environment"))}/freeze`);
        io.out(`${sub} unfrozen`);
        return EXIT.ok;
      case "export": {
        const env = need(values.env, "--env");
        const format = values.format ?? (values.out?.endsWith(".json") ? "json" : "yaml");
        if (format !== "json" && format !== "yaml") throw new UsageError("--format is json or yaml");
        const text = serialize(await readEnvironment(api, env), format);
        if (values.out) await writeFile(values.out, text);
        else io.out(text.trimEnd());
        return EXIT.ok;
      }
      case "import": {
        const env = need(values.env, "--env");
        const doc = parseDocument(await readFile(need(sub, "a file to import"), "utf8"));
        const changes = await planImport(api, env, doc);
        for (const c of changes) io.out(describeChange(c));
        if (changes.length === 0) io.out(`${env} already matches the file`);
        if (values["dry-run"]) return changes.length ? EXIT.changes : EXIT.ok;
        for (const c of changes) await applyChange(api, env, c);
        if (changes.length)
          io.out(`applied ${changes.length} change${changes.length === 1 ? "" : "s"} to ${env}`);
        return EXIT.ok;
      }
      case "types": {
        const env = need(values.env, "--env");
        const doc = await readEnvironment(api, env);
        const text = generateTypes(env, doc.flags);
        if (values.out) await writeFile(values.out, text);
        else io.out(text);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`switchyard: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.err(`switchyard: ${error instanceof ApiError ? error.message : (error as Error).message}`);
    return EXIT.api;
  }
}

type Values = Record<string, string | boolean | string[] | undefined>;

async function listFlags(api: Api, io: Io, values: Values): Promise<number> {
  type Flag = { key: string; kind: string; tags: string[]; states: Record<string, { on: boolean }> };
  let { flags } = await api.call<{ flags: Flag[] }>("GET", "/flags");
  if (values.tag) flags = flags.filter((f) => f.tags.includes(values.tag as string));
  const envs = values.env
    ? [values.env as string]
    : [...new Set(flags.flatMap((f) => Object.keys(f.states)))].sort();
  if (values.json) {
    io.out(
      JSON.stringify(
        flags.map((f) => ({
          key: f.key,
          kind: f.kind,
          tags: f.tags,
          on: Object.fromEntries(envs.map((e) => [e, f.states[e]?.on ?? null])),
        })),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  const rows = [
    ["FLAG", "KIND", ...envs.map((e) => e.toUpperCase())],
    ...flags.map((f) => [f.key, f.kind, ...envs.map((e) => (f.states[e]?.on ? "on" : "off"))]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows)
    io.out(
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    );
  return EXIT.ok;
}

async function flagCommand(api: Api, io: Io, action: string, key: string, values: Values): Promise<number> {
  const env = need(values.env as string | undefined, "--env");
  const path = `/environments/${enc(env)}/flags/${enc(key)}`;
  if (action === "kill") {
    await api.call("POST", `${path}/kill`, { reason: need(values.reason as string | undefined, "--reason") });
    io.out(`killed ${key} in ${env}`);
    return EXIT.ok;
  }
  if (action !== "on" && action !== "off") throw new UsageError(`flag ${action}? use on, off or kill`);
  const result = await api.call<{ changeRequest?: { id: number } }>(
    "PATCH",
    path,
    { on: action === "on", ...(values.reason ? { reason: values.reason } : {}) },
    { "if-match": "*" },
  );
  io.out(
    result?.changeRequest
      ? `${env} requires approval: change request #${result.changeRequest.id} filed`
      : `${key} ${action} in ${env}`,
  );
  return EXIT.ok;
}

async function promote(api: Api, io: Io, values: Values): Promise<number> {
  const from = need(values.from as string | undefined, "--from");
  const to = values.to as string[] | undefined;
  if (!to?.length) throw new UsageError("missing --to");
  const flags = values.flag as string[] | undefined;
  if (!values.tag === !flags?.length) throw new UsageError("give exactly one of --tag or --flag");
  const selection = { from, to, ...(values.tag ? { tag: values.tag } : { flags }) };
  type Preview = {
    blocked: boolean;
    hash: string;
    problems: { environment: string; flag: string; message: string }[];
    targets: { environment: string; flags: { flag: string; changes: string[]; unchanged: boolean }[] }[];
  };
  const preview = await api.call<Preview>("POST", "/promotions/preview", selection);
  const changed = preview.targets.flatMap((t) =>
    t.flags.filter((f) => !f.unchanged).map((f) => ({ env: t.environment, ...f })),
  );
  if (values.json) io.out(JSON.stringify(preview, null, 2));
  else {
    for (const c of changed)
      io.out(`${c.env} ${c.flag}:\n${c.changes.map((line) => `  ${line}`).join("\n")}`);
    for (const p of preview.problems) io.err(`blocked: ${p.environment} ${p.flag}: ${p.message}`);
    if (!changed.length) io.out(`${to.join(", ")} already match${to.length === 1 ? "es" : ""} ${from}`);
  }
  if (preview.blocked) return EXIT.api;
  if (values["dry-run"]) return changed.length ? EXIT.changes : EXIT.ok;
  if (!changed.length) return EXIT.ok;
  const gate = values.gate ? { gate: { type: values.gate } } : {};
  const created = await api.call<{ id: number; status: string }>("POST", "/promotions", {
    ...selection,
    expectedPreview: preview.hash,
    ...gate,
  });
  io.out(`promotion #${created.id} ${created.status}`);
  return EXIT.ok;
}
