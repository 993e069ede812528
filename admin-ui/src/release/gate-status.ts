/**
 * @module Where a pending promotion stands at each of its gates, as the server's soak gate decides it
 * (server/src/promotion/gates.ts): every flag unchanged in the source since the request and live there for
 * the soak time, its guards green, its shadow mismatches since then under the limit; and, where needed, an
 * approval. What passed says when (from the gate record); what waits says for what.
 */
import type { GateEvent, PromotionDetail } from "./api.js";
import { DEFAULT_MAX_MISMATCH_RATE } from "./gate.js";

/** What the UI read about one flag in the source environment. */
export interface SourceFlag {
  flag: string;
  version?: number;
  updatedAt?: string;
  guardsTripped?: boolean;
  /** Shadow mismatch rate since `updatedAt`; undefined before it is read. */
  mismatchRate?: number;
}

export interface GateItem {
  key: string;
  state: "passed" | "waiting" | "failing";
  text: string;
}

const MINUTE = 60_000;
const pct = (rate: number) => `${Number((rate * 100).toFixed(2))}%`;
const when = (iso: string) => new Date(iso).toLocaleString();
const passedEvent = (events: GateEvent[], gate: GateEvent["gate"]) =>
  events.find((e) => e.gate === gate && e.outcome === "passed");

export function gateChecklist(p: PromotionDetail, flags: SourceFlag[], now: Date): GateItem[] {
  const items: GateItem[] = [];
  const gate = p.gate;
  const needsApproval = !gate || gate.type === "approval" || gate.approval === true;
  if (needsApproval) {
    const approved = passedEvent(p.gateRecord, "approval");
    items.push(
      approved
        ? { key: "approval", state: "passed", text: `Approved by ${approved.by} on ${when(approved.at)}.` }
        : { key: "approval", state: "waiting", text: "Waits for another editor or admin to approve it." },
    );
  }
  if (gate?.type !== "soak") return items;
  const soaked = passedEvent(p.gateRecord, "soak");
  if (soaked)
    return [...items, { key: "soak", state: "passed", text: `Soak gate passed on ${when(soaked.at)}.` }];
  const limit = gate.maxMismatchRate ?? DEFAULT_MAX_MISMATCH_RATE;
  for (const f of flags) items.push(...flagItems(p, f, gate.minutes, limit, now));
  return items;
}

function flagItems(p: PromotionDetail, f: SourceFlag, minutes: number, limit: number, now: Date): GateItem[] {
  const pinned = p.preview?.sourceVersions?.[f.flag];
  const key = (what: string) => `${f.flag}-${what}`;
  if (f.version === undefined || !f.updatedAt) {
    return [{ key: key("soak"), state: "waiting", text: `"${f.flag}": reading its state in ${p.from}…` }];
  }
  if (pinned !== undefined && pinned !== f.version) {
    return [
      {
        key: key("soak"),
        state: "failing",
        text: `"${f.flag}" changed in ${p.from} since the request (version ${pinned} → ${f.version}): the promotion will fail; preview and request it again.`,
      },
    ];
  }
  const live = (now.getTime() - Date.parse(f.updatedAt)) / MINUTE;
  const ready = new Date(Date.parse(f.updatedAt) + minutes * MINUTE);
  const items: GateItem[] = [
    live >= minutes
      ? {
          key: key("soak"),
          state: "passed",
          text: `"${f.flag}" live in ${p.from} for ${minutes} minutes since ${when(ready.toISOString())}.`,
        }
      : {
          key: key("soak"),
          state: "waiting",
          text: `"${f.flag}" live in ${p.from} for ${Math.floor(live)} of ${minutes} minutes: soaked at ${when(ready.toISOString())}.`,
        },
  ];
  if (f.guardsTripped !== undefined) {
    items.push(
      f.guardsTripped
        ? {
            key: key("guards"),
            state: "waiting",
            text: `A guard of "${f.flag}" is tripped in ${p.from}: waits until it is re-armed.`,
          }
        : { key: key("guards"), state: "passed", text: `Guards of "${f.flag}" in ${p.from} are green.` },
    );
  }
  if (f.mismatchRate !== undefined) {
    const ok = f.mismatchRate <= limit;
    items.push({
      key: key("shadow"),
      state: ok ? "passed" : "waiting",
      text: `Shadow mismatches of "${f.flag}" since then: ${pct(f.mismatchRate)} (${ok ? "within" : "over"} the limit of ${pct(limit)}).`,
    });
  }
  return items;
}
