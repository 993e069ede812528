/**
 * @module Queries and mutations for environments, flags and per-environment flag states, shared by the
 * overview and the flag page.
 */
import {
  type UseQueryResult,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useCallback } from "react";
import { api } from "./client.js";
import { queryKeys } from "./query.js";
import type {
  Environment,
  FlagKind,
  FlagState,
  FlagSummary,
  FlagWrite,
  StateWrite,
  Variation,
} from "./types.js";

export const fetchEnvironments = () =>
  api<{ environments: Environment[] }>("/environments").then((r) =>
    [...r.environments].sort((a, b) => a.sortOrder - b.sortOrder || a.key.localeCompare(b.key)),
  );

export const fetchFlags = () => api<{ flags: FlagSummary[] }>("/flags").then((r) => r.flags);

export const fetchStates = (env: string) =>
  api<{ states: FlagState[] }>(`/environments/${encodeURIComponent(env)}/flags`).then((r) => r.states);

export const flagPath = (env: string, flag: string) =>
  `/environments/${encodeURIComponent(env)}/flags/${encodeURIComponent(flag)}`;

/** Environments in release order. */
export function useEnvironments() {
  return useQuery({ queryKey: queryKeys.environments, queryFn: fetchEnvironments });
}

/** Every (unarchived) flag with its on/off per environment. */
export function useFlags() {
  return useQuery({ queryKey: queryKeys.flags, queryFn: fetchFlags });
}

/** Every flag's full state in each of `envs`, keyed by environment then flag. */
export function useStatesByEnvironment(envs: readonly string[]) {
  // A stable `combine` lets TanStack Query keep the same result object between renders, so rows
  // memoised on it do not all re-render on every key press.
  const combine = useCallback(
    (results: UseQueryResult<Map<string, FlagState>>[]) => ({
      byEnv: new Map(envs.map((env, i) => [env, results[i]?.data] as const)),
      pending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
    }),
    [envs],
  );
  return useQueries({
    queries: envs.map((env) => ({
      queryKey: queryKeys.states(env),
      queryFn: async () => new Map((await fetchStates(env)).map((s) => [s.flag, s] as const)),
    })),
    combine,
  });
}

export interface KillInput {
  env: string;
  flag: string;
  reason: string;
}

/**
 * The kill switch: turns a flag off in one environment now (no version needed: a kill always wins).
 * Updates the cached state at once so the overview shows "off" before the next poll.
 */
export function useKillFlag() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ env, flag, reason }: KillInput) =>
      api<StateWrite>(`${flagPath(env, flag)}/kill`, { method: "POST", body: { reason } }),
    onSuccess: (result, { env, flag }) => {
      client.setQueryData(queryKeys.state(env, flag), result.state);
      client.setQueryData<Map<string, FlagState>>(queryKeys.states(env), (states) =>
        states ? new Map(states).set(flag, result.state) : states,
      );
      client.setQueryData<FlagSummary[]>(queryKeys.flags, (flags) =>
        flags?.map((f) =>
          f.key === flag
            ? { ...f, states: { ...f.states, [env]: { on: false, version: result.version } } }
            : f,
        ),
      );
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
      void client.invalidateQueries({ queryKey: queryKeys.flags });
      void client.invalidateQueries({ queryKey: queryKeys.environments });
    },
  });
}
