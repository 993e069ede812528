/**
 * @module A flag's guards in one environment (server/src/guards/routes.ts): read them with their status,
 * replace their limits (editors), and re-arm tripped ones.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { queryKeys } from "../api/query.js";

export type GuardMetric = "mismatch_rate" | "error_rate" | "latency_p95_ratio";
export const GUARD_METRICS: GuardMetric[] = ["mismatch_rate", "error_rate", "latency_p95_ratio"];
export type GuardAction = "kill" | "stop_ramp";

export interface GuardInput {
  metric: GuardMetric;
  /** A rate (0.01 = 1%) or, for latency, a ratio (1.5). */
  limit: number;
  action: GuardAction;
  alpha?: number;
}

export interface Guard extends Required<GuardInput> {
  id: number;
  status: "green" | "tripped";
  trials: number;
  events: number;
  /** The sequential test's statistic; the guard trips when it reaches `threshold`. */
  llr: number;
  threshold: number;
  step: string | null;
  trippedAt: string | null;
  /** The figures that tripped it (server/src/guards/observe.ts `figuresOf`). */
  trip: unknown;
}

const path = (env: string, flag: string) =>
  `/environments/${encodeURIComponent(env)}/flags/${encodeURIComponent(flag)}/guards`;
export const guardsKey = (env: string, flag: string) => [...queryKeys.state(env, flag), "guards"] as const;

/** Polled: a guard trips on SDK reports, and whoever watches the flag should see it within seconds. */
export const guardsQuery = (env: string, flag: string) => ({
  queryKey: guardsKey(env, flag),
  queryFn: () => api<{ guards: Guard[] }>(path(env, flag)).then((r) => r.guards),
  refetchInterval: 5_000,
});

export function useGuards(env: string, flag: string) {
  return useQuery(guardsQuery(env, flag));
}

export function useGuardActions(env: string, flag: string) {
  const client = useQueryClient();
  // Re-arming changes what the dark-launch panel allows: refresh everything about the flag's state.
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.state(env, flag) });
  const save = useMutation({
    mutationFn: (guards: GuardInput[]) =>
      api<{ guards: Guard[] }>(path(env, flag), { method: "PUT", body: { guards } }),
    onSuccess: refresh,
  });
  const rearm = useMutation({
    mutationFn: (input: { metrics?: GuardMetric[]; reason?: string }) =>
      api<{ rearmed: Guard[]; guards: Guard[] }>(`${path(env, flag)}/rearm`, {
        method: "POST",
        body: {
          ...(input.metrics ? { metrics: input.metrics } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
        },
      }),
    onSuccess: refresh,
  });
  return { save, rearm };
}
