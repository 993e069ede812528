/**
 * @module TanStack Query set-up: one client, the query keys every screen shares (so a change seen anywhere
 * refreshes everywhere), and the rule that a 401 anywhere sends the user back to the login page.
 */
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "./client.js";

/**
 * Query keys. Nested on purpose: invalidating `["environments", env]` also refreshes that environment's
 * flag states and segments; invalidating `["flags"]` refreshes every flag query.
 */
export const queryKeys = {
  me: ["me"] as const,
  environments: ["environments"] as const,
  environment: (env: string) => ["environments", env] as const,
  state: (env: string, flag: string) => ["environments", env, "states", flag] as const,
  segments: (env: string) => ["environments", env, "segments"] as const,
  segment: (env: string, segment: string) => ["environments", env, "segments", segment] as const,
  overview: ["overview"] as const,
  flags: ["flags"] as const,
  flag: (flag: string) => ["flags", flag] as const,
  audit: (filters: Record<string, unknown> = {}) => ["audit", filters] as const,
  keys: ["keys"] as const,
  users: ["users"] as const,
  usage: (flag?: string) => ["usage", flag ?? "*"] as const,
};

/** Called when any request answers 401: the session ended (logged out elsewhere, expired). */
function onUnauthorized(client: QueryClient) {
  return (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) client.setQueryData(queryKeys.me, null);
  };
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onUnauthorized(client)(error) }),
    mutationCache: new MutationCache({ onError: (error) => onUnauthorized(client)(error) }),
    defaultOptions: {
      queries: {
        // Freshness comes from live.ts, which refetches whatever changed on the server within seconds;
        // a long stale time spares re-downloading thousands of flags on every window focus.
        staleTime: 30_000,
        // 4xx answers will not change by asking again; network blips and 5xx might.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
