/** @module A promotion's gate from the command line (`--gate approval`, `--gate soak --soak-minutes N …`). */
import { need, UsageError } from "../exit.js";
import { plural } from "../io.js";
import type { Options } from "../options.js";

export type Gate = { type: "approval" } | { type: "soak"; minutes: number; maxMismatchRate?: number };

/** The server's rate for a soak gate without `maxMismatchRate` (server/src/promotion/gates.ts). */
const DEFAULT_MAX_MISMATCH_RATE = 0.01;

/** The server's gate fields (server/src/promotion/schemas.ts `GateSchema`), checked before any request. */
export function gateOf(options: Options): Gate | undefined {
  const soakOnly = options["soak-minutes"] ?? options["max-mismatch-rate"];
  if (options.gate !== "soak" && soakOnly !== undefined)
    throw new UsageError("--soak-minutes and --max-mismatch-rate go with --gate soak");
  if (options.gate === undefined) return undefined;
  if (options.gate === "approval") return { type: "approval" };
  if (options.gate !== "soak") throw new UsageError(`--gate ${options.gate}? use approval or soak`);
  const minutes = Number(need(options["soak-minutes"], "--soak-minutes (how long the flags stay unchanged)"));
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new UsageError("--soak-minutes is a whole number of minutes");
  const rate = options["max-mismatch-rate"];
  if (rate === undefined) return { type: "soak", minutes };
  const maxMismatchRate = Number(rate);
  if (!(maxMismatchRate >= 0 && maxMismatchRate <= 1))
    throw new UsageError("--max-mismatch-rate is a share between 0 and 1, e.g. 0.01");
  return { type: "soak", minutes, maxMismatchRate };
}

/** What a pending promotion waits for, in words. */
export function waitingFor(gate: Gate | null, from: string): string {
  if (gate?.type !== "soak") return "approval by an editor or admin other than the requester";
  const rate = `${(gate.maxMismatchRate ?? DEFAULT_MAX_MISMATCH_RATE) * 100}%`;
  return `its soak gate: applies once unchanged in ${from} for ${plural(gate.minutes, "minute")}, with guards green and shadow mismatches under ${rate}`;
}
