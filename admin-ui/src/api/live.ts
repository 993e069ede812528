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

const fingerprint = (envs: { key: string; rulesetVersion: number; version: number }[]) =>
  envs.map((e) => `${e.key}:${e.rulesetVersion}:${e.version}`).join(",");

/** Mount once (the layout does): polls environments and refreshes open queries when anything changed. */
export function useLiveUpdates(intervalMs = LIVE_POLL_MS): void {
  const client = useQueryClient();
  const { data } = useQuery({
    queryKey: queryKeys.environments,
    queryFn: fetchEnvironments,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!data) return;
    const now = fingerprint(data);
    if (seen.current !== null && seen.current !== now) {
      void client.invalidateQueries({
        predicate: ({ queryKey }) =>
          queryKey[0] !== "me" && !(queryKey[0] === "environments" && queryKey.length === 1),
      });
    }
    seen.current = now;
  }, [data, client]);
}
