/**
 * @module Live updates by cheap polling: the environments list is tiny and each environment's
 * `rulesetVersion` bumps on every change that touches it (flag, state, segment). When one moves, every
 * open query except the environments and the session is refetched, so another person's change appears
 * within a few seconds on whatever screen is open.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { fetchEnvironments } from "./flags.js";
import { queryKeys } from "./query.js";

export const LIVE_POLL_MS = 3_000;

type Versions = Map<string, string>;

const versionsOf = (envs: { key: string; rulesetVersion: number; version: number }[]): Versions =>
  new Map(envs.map((e) => [e.key, `${e.rulesetVersion}:${e.version}`]));

/**
 * What to refetch after `before` → `after`: the queries under each environment that changed, and
 * every query not scoped to an environment (flags, audit, usage…). Unchanged environments' states
 * (thousands of flags each) are left alone.
 */
export function staleEnvironments(before: Versions, after: Versions): { changed: string[]; any: boolean } {
  const changed = [...after.keys()].filter((env) => before.get(env) !== after.get(env));
  const removed = [...before.keys()].some((env) => !after.has(env));
  return { changed, any: changed.length > 0 || removed };
}

/** Mount once (the layout does): polls environments and refreshes open queries when anything changed. */
export function useLiveUpdates(intervalMs = LIVE_POLL_MS): void {
  const client = useQueryClient();
  const { data } = useQuery({
    queryKey: queryKeys.environments,
    queryFn: fetchEnvironments,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
  const seen = useRef<Versions | null>(null);
  useEffect(() => {
    if (!data) return;
    const now = versionsOf(data);
    const before = seen.current;
    seen.current = now;
    if (!before) return;
    const { changed, any } = staleEnvironments(before, now);
    if (!any) return;
    void client.invalidateQueries({
      predicate: ({ queryKey }) => {
        const [scope, env] = queryKey;
        if (scope === "me") return false;
        if (scope !== "environments") return true;
        return queryKey.length > 1 && changed.includes(String(env));
      },
    });
  }, [data, client]);
}
