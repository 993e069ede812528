/**
 * @module The `switchyard` command: parses the command line, runs one command over the admin API and
 * returns its exit code (see `EXIT`). `bin.ts` is the executable; tests call `run` in process.
 */
import { ApiError, createApi } from "./api.js";
import type { Command } from "./commands/command.js";
import { flagCommand, listFlags } from "./commands/flags.js";
import { exportFlags, importFlags } from "./commands/flags-as-code.js";
import { freeze } from "./commands/freeze.js";
import { promote } from "./commands/promote.js";
import { requests } from "./commands/requests.js";
import { schedules } from "./commands/schedules.js";
import { types } from "./commands/types.js";
import { EXIT, need, UsageError } from "./exit.js";
import type { Io } from "./io.js";
import { parseCommandLine } from "./options.js";

export { EXIT } from "./exit.js";
export type { Io } from "./io.js";

const USAGE = `switchyard <command> [options]   (SWITCHYARD_URL, SWITCHYARD_TOKEN or --url, --token)

  flags list [--env E] [--tag T] [--json]
  flag on|off <key> --env E [--reason "…"] [--json]
  flag kill <key> --env E --reason "…" [--json]
  promote --from E --to E [--to E…] (--tag T | --flag K [--flag K…]) [--dry-run] [--json] [--reason "…"]
          [--gate approval | --gate soak --soak-minutes N [--max-mismatch-rate 0.01]]
  freeze set <env> --reason "…" --until <ISO date> [--json]   freeze lift <env> [--json]
  freeze list [--env E] [--json]
  requests list [--env E] [--status pending|applied|rejected|conflicted|all] [--json]
  requests approve <id> [--comment "…"] [--json]   requests reject <id> --comment "…" [--json]
  schedules list [--env E] [--flag K] [--status pending|paused|done|cancelled|failed] [--json]
  export --env E [--format json|yaml] [--out FILE]
  import --env E <FILE> [--dry-run] [--json]
  types --env E [--out FILE]

  --override-freeze "<reason>"   with any write: an admin writes through a freeze (the reason is audited)
  --json                         one JSON document on stdout; problems stay on stderr

exit codes: 0 done, 1 the API refused or failed, 2 usage mistake, 3 --dry-run found changes,
            4 filed but not applied: pending approval (change requests) or a promotion's gate`;

/** Each command and how many arguments it takes after its name: more is a usage mistake, not ignored. */
const COMMANDS: Record<string, { run: (command: Command) => Promise<number>; args: number }> = {
  flags: { run: listFlags, args: 1 },
  flag: { run: flagCommand, args: 2 },
  promote: { run: promote, args: 0 },
  freeze: { run: freeze, args: 2 },
  requests: { run: requests, args: 2 },
  schedules: { run: schedules, args: 1 },
  export: { run: exportFlags, args: 0 },
  import: { run: importFlags, args: 1 },
  types: { run: types, args: 0 },
};

/** The reason travels in an HTTP header, which carries Latin-1 text only. */
function freezeOverrideReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  if (!reason.trim()) throw new UsageError("--override-freeze needs a reason");
  if (/[^\t\x20-\x7e\xa0-\xff]/.test(reason))
    throw new UsageError(
      "--override-freeze: the reason is sent as an HTTP header; use Latin-1 characters only",
    );
  return reason.trim();
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const { values: options, positionals } = parseCommandLine(argv);
    if (options.help || positionals.length === 0) {
      io.out(USAGE);
      return options.help ? EXIT.ok : EXIT.usage;
    }
    const [name = "", ...args] = positionals;
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const extra = args[command.args];
    if (extra !== undefined) throw new UsageError(`${name}: unexpected argument "${extra}"`);
    const url = need(options.url ?? io.env.SWITCHYARD_URL, "--url (or SWITCHYARD_URL)");
    const token = need(options.token ?? io.env.SWITCHYARD_TOKEN, "--token (or SWITCHYARD_TOKEN)");
    const freezeOverride = freezeOverrideReason(options["override-freeze"]);
    const api = createApi(url, token, { fetch: io.fetch, freezeOverride });
    return await command.run({ api, io, options, args });
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`switchyard: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.err(`switchyard: ${error instanceof ApiError ? error.message : (error as Error).message}`);
    return EXIT.api;
  }
}
