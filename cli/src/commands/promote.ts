/** @module `promote`: the preview (the diff), then the promotion of exactly what was previewed. */
import { EXIT, need, UsageError } from "../exit.js";
import { type Io, plural } from "../io.js";
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
  const gate = options.gate ? { gate: { type: options.gate } } : {};
  const created = await api.call<Created>("POST", "/promotions", {
    ...selection,
    expectedPreview: preview.hash,
    ...gate,
  });
  return reportCreated(io, created);
}

type Created = {
  id: number;
  status: "pending" | "applied" | "rejected" | "failed" | "reverted";
  promotion: { to: string[]; from: string; gate: Gate | null; error: string | null };
};
type Gate = { type: "approval" } | { type: "soak"; minutes: number; maxMismatchRate?: number };

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
  if (gate?.type === "soak")
    return `its soak gate: applies once unchanged in ${from} for ${plural(gate.minutes, "minute")} with guards green`;
  return "approval by an editor or admin other than the requester";
}
