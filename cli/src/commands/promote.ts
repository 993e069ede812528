/** @module `promote`: the preview (the diff), then the promotion of exactly what was previewed. */
import { EXIT, need, UsageError } from "../exit.js";
import { type Io, plural } from "../io.js";
import type { Options } from "../options.js";
import type { Command } from "./command.js";

type Preview = {
  blocked: boolean;
  hash: string;
  problems: { environment: string; flag: string; message: string }[];
  targets: { environment: string; flags: { flag: string; changes: string[]; unchanged: boolean }[] }[];
};

export async function promote({ api, io, options }: Command): Promise<number> {
  const from = need(options.from, "--from");
  const to = options.to;
  if (!to?.length) throw new UsageError("missing --to");
  const flags = options.flag;
  if (!options.tag === !flags?.length) throw new UsageError("give exactly one of --tag or --flag");
  const selection = { from, to, ...(options.tag ? { tag: options.tag } : { flags }) };
  const gate = gateOf(options);
  const preview = await api.call<Preview>("POST", "/promotions/preview", selection);
  const changed = preview.targets.flatMap((t) =>
    t.flags.filter((f) => !f.unchanged).map((f) => ({ env: t.environment, ...f })),
  );
  if (options.json) io.out(JSON.stringify(preview, null, 2));
  else {
    for (const c of changed)
      io.out(`${c.env} ${c.flag}:\n${c.changes.map((line) => `  ${line}`).join("\n")}`);
    for (const p of preview.problems) io.err(`blocked: ${p.environment} ${p.flag}: ${p.message}`);
    if (!changed.length) io.out(`${to.join(", ")} already match${to.length === 1 ? "es" : ""} ${from}`);
  }
  if (preview.blocked) return EXIT.api;
  if (options["dry-run"]) return changed.length ? EXIT.changes : EXIT.ok;
  if (!changed.length) return EXIT.ok;
  const created = await api.call<Created>("POST", "/promotions", {
    ...selection,
    expectedPreview: preview.hash,
    ...(gate ? { gate } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  });
  return reportCreated(io, created);
}

type Created = {
  id: number;
  status: "pending" | "applied" | "rejected" | "failed" | "reverted";
  promotion: { to: string[]; from: string; gate: Gate | null; error: string | null };
};
/** The server's default for a soak gate without `maxMismatchRate` (server/src/promotion/gates.ts). */
const DEFAULT_MAX_MISMATCH_RATE = 0.01;

type Gate = { type: "approval" } | { type: "soak"; minutes: number; maxMismatchRate?: number };

/** `--gate approval`, or `--gate soak --soak-minutes N [--max-mismatch-rate R]` (the server's soak fields). */
function gateOf(options: Options): Gate | undefined {
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

function reportCreated(io: Io, { id, status, promotion }: Created): number {
  if (status === "applied") {
    io.out(`promotion #${id} applied to ${promotion.to.join(", ")}`);
    return EXIT.ok;
  }
  if (status === "pending") {
    io.out(`promotion #${id} pending ${waitingFor(promotion.gate, promotion.from)}`);
    return EXIT.pending;
  }
  io.err(`promotion #${id} ${status}${promotion.error ? `: ${promotion.error}` : ""}`);
  return EXIT.api;
}

function waitingFor(gate: Gate | null, from: string): string {
  if (gate?.type === "soak") {
    const rate = `${(gate.maxMismatchRate ?? DEFAULT_MAX_MISMATCH_RATE) * 100}%`;
    return `its soak gate: applies once unchanged in ${from} for ${plural(gate.minutes, "minute")}, with guards green and shadow mismatches under ${rate}`;
  }
  return "approval by an editor or admin other than the requester";
}
