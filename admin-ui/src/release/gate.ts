/** @module Gates and gate records in words, for people deciding on a promotion. */
import type { Gate, GateEvent } from "./api.js";

/** The server's limit when a soak gate names none (server/src/promotion/gates.ts). */
export const DEFAULT_MAX_MISMATCH_RATE = 0.01;

const percent = (rate: number) => `${Number((rate * 100).toFixed(2))}%`;

export function describeGate(gate: Gate | null): string {
  if (!gate) return "no gate";
  if (gate.type === "approval") return "manual approval";
  const rate = gate.maxMismatchRate ?? DEFAULT_MAX_MISMATCH_RATE;
  return `soak ${gate.minutes} min, guards green, shadow mismatches ≤ ${percent(rate)}${gate.approval ? ", and an approval" : ""}`;
}

/** What a pending promotion waits for, as a sentence. */
export function waitingFor(gate: Gate | null, from: string): string {
  if (gate?.type === "soak") {
    return `Applies ${gate.approval ? "once approved and" : "by itself"} once every flag has been unchanged in ${from} for ${gate.minutes} minutes, with its guards green and shadow mismatches ≤ ${percent(gate.maxMismatchRate ?? DEFAULT_MAX_MISMATCH_RATE)}.`;
  }
  return "Waits for another editor or admin to approve it.";
}

/** A gate event's figures (a soak gate's mismatch rates and times) as short text. */
export function describeDetails(details: GateEvent["details"]): string {
  if (details === null || details === undefined) return "";
  if (typeof details !== "object") return String(details);
  return Object.entries(details as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join("; ");
}
