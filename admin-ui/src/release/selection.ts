/**
 * @module The promote form's choices and the promotion they ask for: a release tag, a chosen set of flags
 * or one flag, from one environment to one or several. Links may preselect them:
 * `/release?flag=<key>&from=<env>&to=<env>` (the overview's "promote" button) or `?tag=<tag>`.
 */
import type { Selection } from "./api.js";

export type What = "tag" | "flags" | "flag";

export interface PromoteChoice {
  what: What;
  tag: string;
  flags: string[];
  flag: string;
  from: string;
  to: string[];
}

export const emptyChoice: PromoteChoice = { what: "tag", tag: "", flags: [], flag: "", from: "", to: [] };

/** The choice a link asks for; `complete` when it names enough to preview straight away. */
export function choiceFromSearch(search: string): { choice: PromoteChoice; complete: boolean } {
  const params = new URLSearchParams(search);
  const flag = params.get("flag")?.trim() ?? "";
  const tag = params.get("tag")?.trim() ?? "";
  const from = params.get("from")?.trim() ?? "";
  const to = params
    .getAll("to")
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const choice: PromoteChoice = {
    ...emptyChoice,
    what: flag ? "flag" : "tag",
    flag,
    tag,
    from,
    to: to.filter((t) => t !== from),
  };
  return { choice, complete: Boolean((flag || tag) && from && choice.to.length > 0) };
}

/** The promotion the choice asks for, or why it cannot be previewed yet. */
export function selectionOf(choice: PromoteChoice): { selection: Selection } | { missing: string } {
  const to = choice.to.filter((t) => t !== choice.from);
  if (!choice.from) return { missing: "Choose the environment to promote from." };
  if (to.length === 0) return { missing: "Choose at least one environment to promote to." };
  const base = { from: choice.from, to };
  if (choice.what === "tag") {
    return choice.tag.trim()
      ? { selection: { ...base, tag: choice.tag.trim() } }
      : { missing: "Enter a release tag." };
  }
  const flags = choice.what === "flag" ? [choice.flag.trim()].filter(Boolean) : choice.flags;
  return flags.length > 0 ? { selection: { ...base, flags } } : { missing: "Choose the flags to promote." };
}

/** The environment right after `from` in release order, as a list of targets (none after the last). */
export function nextAfter(envs: readonly string[], from: string): string[] {
  const next = envs[envs.indexOf(from) + 1];
  return next && envs.includes(from) ? [next] : [];
}

/**
 * Until the person picks a source, promote from the environment before the last into the one after it.
 * Once they have, their choice stands (even no target at all).
 */
export function withDefaults(choice: PromoteChoice, envs: readonly string[]): PromoteChoice {
  if (choice.from) return { ...choice, to: choice.to.filter((t) => t !== choice.from) };
  const from = envs[envs.length - 2] ?? envs[0] ?? "";
  return { ...choice, from, to: choice.to.length > 0 ? choice.to : nextAfter(envs, from) };
}
