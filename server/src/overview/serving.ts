/**
 * @module "What does this flag serve here?" in a few words, for one cell of the admin UI's overview:
 * `100% on`, `pilot: beta-testers`, `20% rollout`, `off → false`. Pure, so it is tested on its own.
 */
import {
  BUCKET_COUNT,
  type Flag,
  type FlagKind,
  type JsonValue,
  type Serve,
  type Variation,
} from "@switchyard/core";

/** `on`: everyone gets the "on" answer; `partial`: some users (targets, rules, rollout); `off`: off. */
export type ServingTone = "on" | "partial" | "off" | "missing";

export interface ServingSummary {
  tone: ServingTone;
  /** A few words for the cell. */
  text: string;
  /** A full sentence for the tooltip and screen readers. */
  detail: string;
}

export interface FlagShape {
  kind: FlagKind;
  variations: Variation[];
}

/** A flag's state in one environment, as the ruleset holds it (no targets or rules: none). */
export type Targeting = Pick<Flag, "on" | "offVariation" | "targets" | "rules" | "fallthrough">;

/** A percentage of buckets without float noise: 20000 → "20", 12345 → "12.345", 500 → "0.5". */
export function percent(weight: number): string {
  return String(Math.round((weight / BUCKET_COUNT) * 100 * 1000) / 1000);
}

function shortValue(value: JsonValue | undefined): string {
  if (value === undefined) return "?";
  if (typeof value === "string") return value;
  const json = JSON.stringify(value);
  return json.length > 24 ? `${json.slice(0, 23)}…` : json;
}

/** How a variation is named in a cell: the value for booleans and numbers, the key otherwise. */
export function variationLabel(flag: FlagShape, key: string): string {
  const variation = flag.variations.find((v) => v.key === key);
  if (!variation) return key;
  if (flag.kind === "boolean" || flag.kind === "number") return shortValue(variation.value);
  return variation.name?.trim() || variation.key;
}

/** For booleans, "the flag is doing its thing" means serving true; for others, anything but the off variation. */
function isActive(flag: FlagShape, state: Targeting, key: string): boolean {
  const variation = flag.variations.find((v) => v.key === key);
  if (flag.kind === "boolean") return variation?.value === true;
  return key !== state.offVariation;
}

function describeServe(flag: FlagShape, state: Targeting, serve: Serve): { text: string; everyone: boolean } {
  if ("variation" in serve) {
    const label = variationLabel(flag, serve.variation);
    const text = flag.kind === "boolean" && label === "true" ? "100% on" : `100% ${label}`;
    return { text, everyone: true };
  }
  const weights = serve.rollout.weights.filter((w) => w.weight > 0);
  if (weights.length === 1 && weights[0])
    return describeServe(flag, state, { variation: weights[0].variation });
  const active = weights.filter((w) => isActive(flag, state, w.variation));
  if (flag.kind === "boolean" || active.length === 1) {
    const share = active.reduce((sum, w) => sum + w.weight, 0);
    return { text: `${percent(share)}% rollout`, everyone: false };
  }
  return {
    text: `split ${weights.map((w) => `${percent(w.weight)}% ${variationLabel(flag, w.variation)}`).join(" / ")}`,
    everyone: false,
  };
}

function listNames(names: string[], max = 2): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} +${names.length - max}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Summarises a flag's state in one environment; `undefined` state means the flag has none there. */
export function summarizeServing(flag: FlagShape, state: Targeting | undefined): ServingSummary {
  if (!state) return { tone: "missing", text: "—", detail: "No state in this environment." };
  if (!state.on) {
    const off = variationLabel(flag, state.offVariation);
    return { tone: "off", text: `off → ${off}`, detail: `Off: everyone gets ${off}.` };
  }

  const parts: string[] = [];
  const details: string[] = [];
  const targeted = (state.targets ?? [])
    .filter((t) => isActive(flag, state, t.variation))
    .reduce((sum, t) => sum + t.values.length, 0);
  if (targeted > 0) {
    parts.push(plural(targeted, "user"));
    details.push(`${plural(targeted, "user")} targeted by key`);
  }

  const segments = new Set<string>();
  let otherRules = 0;
  for (const rule of state.rules ?? []) {
    const active = "variation" in rule.serve ? isActive(flag, state, rule.serve.variation) : true;
    if (!active) continue;
    const cohorts = rule.clauses.filter((c) => c.op === "segmentMatch" && !c.negate).flatMap((c) => c.values);
    if (cohorts.length > 0) for (const s of cohorts) segments.add(String(s));
    else otherRules++;
  }
  if (segments.size > 0) {
    parts.push(`pilot: ${listNames([...segments])}`);
    details.push(`segments ${[...segments].join(", ")}`);
  }
  if (otherRules > 0) {
    parts.push(plural(otherRules, "rule"));
    details.push(plural(otherRules, "targeting rule"));
  }

  const fallthrough = describeServe(flag, state, state.fallthrough);
  const fallsToOff = "variation" in state.fallthrough && !isActive(flag, state, state.fallthrough.variation);
  if (parts.length === 0) {
    if (!fallthrough.everyone)
      return { tone: "partial", text: fallthrough.text, detail: `On: ${fallthrough.text}.` };
    const label = fallthrough.text.replace(/^100% /, "");
    // A boolean serving false to everyone is on in name only; other kinds serve a real value either way.
    return fallsToOff && flag.kind === "boolean"
      ? { tone: "off", text: fallthrough.text, detail: `On, but everyone gets ${label}.` }
      : { tone: "on", text: fallthrough.text, detail: `On: everyone gets ${label}.` };
  }
  if (!fallsToOff)
    parts.push(fallthrough.everyone ? `else ${fallthrough.text.replace(/^100% /, "")}` : fallthrough.text);
  const rest = fallsToOff
    ? `everyone else gets ${variationLabel(flag, (state.fallthrough as { variation: string }).variation)}`
    : `everyone else: ${fallthrough.text}`;
  return { tone: "partial", text: parts.join(" · "), detail: `On for ${details.join(", ")}; ${rest}.` };
}
