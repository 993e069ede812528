/**
 * @module An environment's changelog (server/src/changelog): one readable sentence per change, newest
 * first, filtered by flag, tag and actor; the same filters give the JSON and CSV exports.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, apiUrl } from "../api/client.js";

export interface ChangelogEntry {
  at: string;
  actor: string;
  actorType: string;
  action: string;
  /** The flag, when the change names exactly one; `flags` lists every flag it touched. */
  flag: string | null;
  flags: string[];
  reason: string | null;
  summary: string;
}

export const FILTERS = ["flag", "tag", "actor"] as const;
export type ChangelogFilters = Partial<Record<(typeof FILTERS)[number], string>>;

const path = (env: string) => `/environments/${encodeURIComponent(env)}/changelog`;

export function useChangelog(env: string, filters: ChangelogFilters) {
  return useQuery({
    queryKey: ["changelog", env, filters],
    queryFn: () =>
      api<{ entries: ChangelogEntry[]; truncated: boolean }>(path(env), { query: { ...filters } }),
    enabled: Boolean(env),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

/** The export's address: the browser downloads it with the session cookie, like any same-origin link. */
export const exportUrl = (env: string, filters: ChangelogFilters, format: "json" | "csv") =>
  apiUrl(path(env), { ...filters, format });
