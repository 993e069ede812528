/**
 * @module Queries and mutations for environments, flags and per-environment flag states, shared by the
 * overview and the flag page.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.js";
import { showKilled } from "./overview.js";
import { queryKeys } from "./query.js";
import type { Environment, FlagKind, FlagWrite, StateWrite, Variation } from "./types.js";

export const fetchEnvironments = () =>
  api<{ environments: Environment[] }>("/environments").then((r) =>
    [...r.environments].sort((a, b) => a.sortOrder - b.sortOrder || a.key.localeCompare(b.key)),
  );

export const flagPath = (env: string, flag: string) =>
  `/environments/${encodeURIComponent(env)}/flags/${encodeURIComponent(flag)}`;

/** Environments in release order. */
export function useEnvironments() {
  return useQuery({ queryKey: queryKeys.environments, queryFn: fetchEnvironments });
}

export interface KillInput {
  env: string;
  flag: string;
  reason: string;
}

/**
 * The kill switch: turns a flag off in one environment now (no version needed: a kill always wins).
 * Updates the cached state and the overview at once, before the refetch brings the server's summary.
 */
export function useKillFlag() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ env, flag, reason }: KillInput) =>
      api<StateWrite>(`${flagPath(env, flag)}/kill`, { method: "POST", body: { reason } }),
    onSuccess: (result, { env, flag }) => {
      client.setQueryData(queryKeys.state(env, flag), result.state);
      showKilled(client, flag, env);
      void client.invalidateQueries({ queryKey: queryKeys.flag(flag) });
      void client.invalidateQueries({ queryKey: ["audit"] });
    },
  });
}

export interface NewFlagInput {
  key: string;
  name: string;
  kind: FlagKind;
  description?: string;
  variations?: Variation[];
  tags?: string[];
  owner?: string | null;
  temporary?: boolean;
  clientVisible?: boolean;
}

/** Creates a flag (off in every environment) and adds it to the cached list at once. */
export function useCreateFlag() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewFlagInput) => api<FlagWrite>("/flags", { method: "POST", body: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.overview });
      void client.invalidateQueries({ queryKey: queryKeys.environments });
    },
  });
}
