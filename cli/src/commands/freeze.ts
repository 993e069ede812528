/** @module `freeze` and `unfreeze`: an environment's change freeze. */
import { EXIT, need } from "../exit.js";
import { type Command, enc } from "./command.js";

export async function freeze({ api, io, options, args }: Command): Promise<number> {
  const env = need(args[0], "an environment");
  const until = need(options.until, "--until");
  await api.call("PUT", `/environments/${enc(env)}/freeze`, {
    reason: need(options.reason, "--reason"),
    until,
  });
  io.out(`${env} frozen until ${until}`);
  return EXIT.ok;
}

export async function unfreeze({ api, io, args }: Command): Promise<number> {
  const env = need(args[0], "an environment");
  await api.call("DELETE", `/environments/${enc(env)}/freeze`);
  io.out(`${env} unfrozen`);
  return EXIT.ok;
}
