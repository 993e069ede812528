/**
 * @module `promote`: the preview (the diff), then — unless it is a dry run, blocked or changes nothing —
 * the promotion of exactly what was previewed, now or through a gate.
 */
import { EXIT, need, UsageError } from "../exit.js";
import { type Io, printJson } from "../io.js";
import type { Options } from "../options.js";
import type { Command } from "./command.js";
import { type Gate, gateOf, waitingFor } from "./promotion-gate.js";

type Preview = {
  blocked: boolean;
  hash: string;
  problems: { environment: string; flag: string; message: string }[];
  targets: { environment: string; flags: { flag: string; changes: string[]; unchanged: boolean }[] }[];
};
type Status = "pending" | "applied" | "rejected" | "failed" | "reverted";
type Promotion = { from: string; to: string[]; flags: string[]; gate: Gate | null; error: string | null };
type Created = { id: number; status: Status; promotion: Promotion };

function selectionOf(options: Options) {
  const from = need(options.from, "--from");
  const to = options.to;
  if (!to?.length) throw new UsageError("missing --to");
  const flags = options.flag;
  if (!options.tag === !flags?.length) throw new UsageError("give exactly one of --tag or --flag");
  return { from, to, ...(options.tag ? { tag: options.tag } : { flags }) };
}

export async function promote({ api, io, options }: Command): Promise<number> {
  const selection = selectionOf(options);
  const gate = gateOf(options);
  const preview = await api.call<Preview>("POST", "/promotions/preview", selection);
  const changed = preview.targets.flatMap((t) =>
    t.flags.filter((f) => !f.unchanged).map((f) => ({ env: t.environment, ...f })),
  );
  if (!options.json) {
    for (const c of changed)
      io.out(`${c.env} ${c.flag}:\n${c.changes.map((line) => `  ${line}`).join("\n")}`);
    for (const p of preview.problems) io.err(`blocked: ${p.environment} ${p.flag}: ${p.message}`);
    const { from, to } = selection;
    if (!changed.length) io.out(`${to.join(", ")} already match${to.length === 1 ? "es" : ""} ${from}`);
  }
  const promoting = !preview.blocked && !options["dry-run"] && changed.length > 0;
  const created = promoting
    ? await api.call<Created>("POST", "/promotions", {
        ...selection,
        expectedPreview: preview.hash,
        ...(gate ? { gate } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
      })
    : null;
  if (options.json) printJson(io, { preview, promotion: created && summary(created) });
  else if (created) printCreated(io, created);
  if (preview.blocked) return EXIT.api;
  if (!created) return options["dry-run"] && changed.length ? EXIT.changes : EXIT.ok;
  return created.status === "applied" ? EXIT.ok : created.status === "pending" ? EXIT.pending : EXIT.api;
}

/** `promote --json`: the promotion without its copy of the preview (printed beside it). */
function summary({ id, status, promotion }: Created) {
  const { from, to, flags, gate, error } = promotion;
  return { id, status, from, to, flags, gate, error };
}

function printCreated(io: Io, { id, status, promotion }: Created): void {
  if (status === "applied") io.out(`promotion #${id} applied to ${promotion.to.join(", ")}`);
  else if (status === "pending")
    io.out(`promotion #${id} pending ${waitingFor(promotion.gate, promotion.from)}`);
  else io.err(`promotion #${id} ${status}${promotion.error ? `: ${promotion.error}` : ""}`);
}
