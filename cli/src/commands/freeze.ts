/** @module `freeze set|lift|list`: an environment's change freeze, which refuses writes until it ends. */
import { EXIT, need, UsageError } from "../exit.js";
import { printJson } from "../io.js";
import { type Command, enc } from "./command.js";

interface Freeze {
  environment: string;
  reason: string;
  until: string;
  createdBy: string;
  createdAt: string;
}

const describe = (f: Freeze) => `${f.environment} frozen until ${f.until} by ${f.createdBy}: ${f.reason}`;

export async function freeze(command: Command): Promise<number> {
  const [action, ...args] = command.args;
  const next = { ...command, args };
  if (action === "set") return setFreeze(next);
  if (action === "lift") return liftFreeze(next);
  if (action === "list") return listFreezes(next);
  throw new UsageError(action ? `freeze ${action}? use set, lift or list` : "missing set, lift or list");
}

async function setFreeze({ api, io, options, args }: Command): Promise<number> {
  const env = need(args[0], "an environment");
  const body = { reason: need(options.reason, "--reason"), until: need(options.until, "--until") };
  const { freeze } = await api.call<{ freeze: Freeze }>("PUT", `/environments/${enc(env)}/freeze`, body);
  if (options.json) printJson(io, { freeze });
  else io.out(describe(freeze));
  return EXIT.ok;
}

async function liftFreeze({ api, io, options, args }: Command): Promise<number> {
  const env = need(args[0], "an environment");
  await api.call("DELETE", `/environments/${enc(env)}/freeze`);
  if (options.json) printJson(io, { environment: env, freeze: null });
  else io.out(`${env} freeze lifted`);
  return EXIT.ok;
}

/** Every freeze in force, or (`--env`) that environment's, which is 404 for an unknown environment. */
async function listFreezes({ api, io, options }: Command): Promise<number> {
  const freezes = options.env
    ? [(await api.call<{ freeze: Freeze | null }>("GET", `/environments/${enc(options.env)}/freeze`)).freeze]
    : (await api.call<{ freezes: Freeze[] }>("GET", "/freezes")).freezes;
  const active = freezes.filter((f): f is Freeze => f !== null);
  if (options.json) printJson(io, { freezes: active });
  else
    io.out(
      active.length
        ? active.map(describe).join("\n")
        : `no freeze in force${options.env ? ` in ${options.env}` : ""}`,
    );
  return EXIT.ok;
}
