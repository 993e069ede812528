/** @module The command line's options, parsed once; every command reads the ones it needs. */
import { parseArgs } from "node:util";

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  env: { type: "string" },
  tag: { type: "string" },
  flag: { type: "string", multiple: true },
  from: { type: "string" },
  to: { type: "string", multiple: true },
  gate: { type: "string" },
  "soak-minutes": { type: "string" },
  "max-mismatch-rate": { type: "string" },
  reason: { type: "string" },
  comment: { type: "string" },
  status: { type: "string" },
  until: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "override-freeze": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
}

export type Options = ReturnType<typeof parseCommandLine>["values"];
