/**
 * @module What a change to a flag's state did, in the words a person uses: "turned on", "rolled out to
 * 25%", or the reviewer's list of changes ("fallthrough: small → medium") when it was anything else.
 */
import type { Serve } from "@switchyard/core";
import type { StateFields } from "../flags/validate-state.js";
import { describeChanges, percent } from "../promotion/describe-changes.js";
import { setupOf } from "../promotion/setup.js";

/** A state as audit entries hold it (a state view), or anything else. */
export function asState(value: unknown): StateFields | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Partial<StateFields>;
  if (typeof v.on !== "boolean" || !v.fallthrough || !Array.isArray(v.rules)) return null;
  return setupOf({
    on: v.on,
    offVariation: v.offVariation ?? "",
    targets: v.targets ?? [],
    rules: v.rules,
    fallthrough: v.fallthrough,
    prerequisites: v.prerequisites ?? [],
    shadow: v.shadow ?? null,
  });
}

/** The share served the one variation that is not the off variation, if the fallthrough is such a ramp. */
function rampShare(serve: Serve, offVariation: string): number | null {
  if ("variation" in serve) return serve.variation === offVariation ? 0 : 100_000;
  const served = serve.rollout.weights.filter((w) => w.variation !== offVariation && w.weight > 0);
  if (served.length > 1) return null;
  return served[0]?.weight ?? 0;
}

export interface StateWords {
  /** Verb phrases with `{flag}` where the flag's key goes: "turned on {flag}", "rolled {flag} out to 25%". */
  headlines: string[];
  /** Every change as a reviewer reads it, when the headlines do not say it all. */
  details: string[];
}

/** How `before` → `after` reads; `headlines` is empty unless it says everything that changed. */
export function stateWords(before: StateFields, after: StateFields): StateWords {
  const details = describeChanges(before, after);
  const headlines: string[] = [];
  let explained = 0;
  if (before.on !== after.on) {
    headlines.push(after.on ? "turned on {flag}" : "turned off {flag}");
    explained++;
  }
  const fallthroughChanged = details.some((d) => d.startsWith("fallthrough"));
  const share = rampShare(after.fallthrough, after.offVariation);
  // A ramp: to a rollout, or from one to everyone. Switching one variation for another is not a ramp.
  const ramping = "rollout" in after.fallthrough || ("rollout" in before.fallthrough && share === 100_000);
  if (fallthroughChanged && ramping && share !== null && before.offVariation === after.offVariation) {
    const rolled = headlines.length ? "rolled it out to" : "rolled {flag} out to";
    headlines.push(`${rolled} ${percent(share)}`);
    explained++;
  }
  return { headlines: explained === details.length ? headlines : [], details };
}

/** "a, b and c"; longer lists end "and 4 more". */
export function listed(items: string[], max = 3): string {
  if (items.length <= 1) return items[0] ?? "";
  if (items.length > max) return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Reviewer lines joined for one sentence, at most four of them. */
export function detailText(details: string[]): string {
  const shown = details.slice(0, 4).join("; ");
  return details.length > 4 ? `${shown}; and ${details.length - 4} more changes` : shown;
}

/** "turned on new-checkout in production", "changed max-items in production: fallthrough: small → medium". */
export function stateChangePhrase(flag: string, where: string, before: unknown, after: unknown): string {
  const [was, now] = [asState(before), asState(after)];
  if (!was || !now) return `changed ${flag}${where}`;
  const words = stateWords(was, now);
  if (words.details.length === 0) return `saved ${flag}${where} without changes`;
  if (words.headlines.length) {
    return `${words.headlines.join(" and ").replace("{flag}", flag)}${where}`;
  }
  return `changed ${flag}${where}: ${detailText(words.details)}`;
}
