/**
 * @module Which flags the overview shows: free-text search over key, name and description, and filters by
 * tag, owner and state. Pure, so it is tested on its own.
 */
import type { OverviewFlag } from "../api/overview.js";

/**
 * `state`: `""` any; `on` on in at least one environment; `off` off everywhere; `on:<env>` / `off:<env>`
 * in that environment; `temporary` temporary flags.
 */
export interface OverviewFilter {
  search: string;
  tag: string;
  owner: string;
  state: string;
}

export const EMPTY_FILTER: OverviewFilter = { search: "", tag: "", owner: "", state: "" };

/** `owner` value that selects flags without an owner. */
export const NO_OWNER = "(none)";

function matchesState(flag: OverviewFlag, state: string): boolean {
  if (state === "") return true;
  if (state === "temporary") return flag.temporary;
  const on = Object.values(flag.cells).some((c) => c.on);
  if (state === "on") return on;
  if (state === "off") return !on;
  const [want, env] = state.split(":");
  if (env === undefined) return true;
  const here = flag.cells[env];
  return want === "on" ? here?.on === true : here?.on !== true;
}

/** Every search word must appear in the key, name, description, a tag or the owner (any case). */
function matchesSearch(flag: OverviewFlag, words: string[]): boolean {
  if (words.length === 0) return true;
  const haystack = [flag.key, flag.name, flag.description, flag.owner ?? "", ...flag.tags]
    .join("\n")
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function filterFlags(flags: readonly OverviewFlag[], filter: OverviewFilter): OverviewFlag[] {
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  return flags.filter(
    (flag) =>
      (filter.tag === "" || flag.tags.includes(filter.tag)) &&
      (filter.owner === "" ||
        (filter.owner === NO_OWNER ? flag.owner === null : flag.owner === filter.owner)) &&
      matchesState(flag, filter.state) &&
      matchesSearch(flag, words),
  );
}

/** The distinct tags and owners, sorted, for the filter menus. */
export function filterChoices(flags: readonly OverviewFlag[]): { tags: string[]; owners: string[] } {
  const tags = new Set<string>();
  const owners = new Set<string>();
  for (const flag of flags) {
    for (const tag of flag.tags) tags.add(tag);
    if (flag.owner) owners.add(flag.owner);
  }
  const sort = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { tags: sort(tags), owners: sort(owners) };
}

/** Reads a filter from the URL's query string (so a filtered view can be linked to). */
export function filterFromSearch(search: string): OverviewFilter {
  const params = new URLSearchParams(search);
  return {
    search: params.get("q") ?? "",
    tag: params.get("tag") ?? "",
    owner: params.get("owner") ?? "",
    state: params.get("state") ?? "",
  };
}

export function filterToSearch(filter: OverviewFilter): string {
  const params = new URLSearchParams();
  if (filter.search) params.set("q", filter.search);
  if (filter.tag) params.set("tag", filter.tag);
  if (filter.owner) params.set("owner", filter.owner);
  if (filter.state) params.set("state", filter.state);
  return params.toString();
}
