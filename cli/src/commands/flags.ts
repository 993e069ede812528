/** @module `flags list` and `flag on|off|kill`. */
import { EXIT, need, UsageError } from "../exit.js";
import { printJson, printTable } from "../io.js";
import { type Command, enc } from "./command.js";

type Flag = { key: string; kind: string; tags: string[]; states: Record<string, { on: boolean }> };

export async function listFlags({ api, io, options, args }: Command): Promise<number> {
  if (args[0] !== "list") throw new UsageError(args[0] ? `flags ${args[0]}? use flags list` : "missing list");
  // A misspelt environment is a 404 (exit 1), not a column of "off".
  if (options.env) await api.call("GET", `/environments/${enc(options.env)}`);
  let { flags } = await api.call<{ flags: Flag[] }>("GET", "/flags");
  if (options.tag) flags = flags.filter((f) => f.tags.includes(options.tag as string));
  const envs = options.env ? [options.env] : [...new Set(flags.flatMap((f) => Object.keys(f.states)))].sort();
  if (options.json) {
    printJson(
      io,
      flags.map((f) => ({
        key: f.key,
        kind: f.kind,
        tags: f.tags,
        on: Object.fromEntries(envs.map((e) => [e, f.states[e]?.on ?? null])),
      })),
    );
    return EXIT.ok;
  }
  printTable(io, [
    ["FLAG", "KIND", ...envs.map((e) => e.toUpperCase())],
    ...flags.map((f) => [f.key, f.kind, ...envs.map((e) => (f.states[e]?.on ? "on" : "off"))]),
  ]);
  return EXIT.ok;
}

type FlagOutcome = { status: "applied"; version: number } | { status: "pending"; changeRequest: number };

export async function flagCommand(command: Command): Promise<number> {
  const { io, options, args } = command;
  const action = need(args[0], "on|off|kill");
  const key = need(args[1], "a flag key");
  const env = need(options.env, "--env");
  if (action !== "on" && action !== "off" && action !== "kill")
    throw new UsageError(`flag ${action}? use on, off or kill`);
  const outcome = await writeFlag(command, action, key, env);
  if (options.json) printJson(io, { flag: key, environment: env, action, ...outcome });
  else if (outcome.status === "pending")
    io.out(`${key} ${action} in ${env} is pending approval: change request #${outcome.changeRequest} filed`);
  else io.out(action === "kill" ? `killed ${key} in ${env}` : `${key} ${action} in ${env}`);
  return outcome.status === "pending" ? EXIT.pending : EXIT.ok;
}

/** A kill always applies (incidents do not wait); on/off is a change request where approval is required. */
async function writeFlag({ api, options }: Command, action: "on" | "off" | "kill", key: string, env: string) {
  const path = `/environments/${enc(env)}/flags/${enc(key)}`;
  type Written = { version: number; changeRequest?: undefined } | { changeRequest: { id: number } };
  const result =
    action === "kill"
      ? await api.call<Written>("POST", `${path}/kill`, { reason: need(options.reason, "--reason") })
      : await api.call<Written>(
          "PATCH",
          path,
          { on: action === "on", ...(options.reason ? { reason: options.reason } : {}) },
          { "if-match": "*" },
        );
  return (
    result.changeRequest
      ? { status: "pending", changeRequest: result.changeRequest.id }
      : { status: "applied", version: result.version }
  ) satisfies FlagOutcome;
}
