/**
 * @module Usage from SDK metrics (server/src/usage): every flag's evaluations in the last 7 days, last
 * evaluated and stale verdict (`/usage`), and one flag's hourly series (`/flags/{flag}/usage`). Shared by
 * the usage screen and the flag page.
 */
import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client.js";

export interface UsageRow {
  flag: string;
  temporary: boolean;
  evaluationsLast7Days: Record<string, number>;
  stale: boolean;
  why: string | null;
  servesEverywhere: string | null;
  lastEvaluated: string | null;
}

export interface FlagUsageResponse {
  series: { environment: string; variant: string | null; hour: string; count: number }[];
  lastEvaluated: Record<string, string>;
}

export const STALE_AFTER_DAYS = 30;

/** Every flag's usage (or what `select` picks from it), refreshed every 30 s. */
export function useUsageList<T = UsageRow[]>(select?: (rows: UsageRow[]) => T) {
  return useQuery({
    queryKey: ["usage", "*"],
    queryFn: () =>
      api<{ staleAfterDays: number; flags: UsageRow[] }>("/usage", {
        query: { staleAfterDays: STALE_AFTER_DAYS },
      }).then((r) => r.flags),
    refetchInterval: 30_000,
    select,
  });
}

export function useFlagUsage(flag: string) {
  return useQuery({
    queryKey: ["usage", flag],
    queryFn: () => api<FlagUsageResponse>(`/flags/${encodeURIComponent(flag)}/usage`),
  });
}

export const compactCount = (n: number) =>
  new Intl.NumberFormat(undefined, { notation: "compact" }).format(n);
