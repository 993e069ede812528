/**
 * @module The shadow panel's data: the flag's shadow statistics over time, where it is on the dark-launch
 * path, and the one-click move to the next step (server: `src/shadow`, `src/dark-launch`).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";

export type Step = "off" | "shadow" | "pilot" | "rollout" | "done";
export const STEPS: Step[] = ["off", "shadow", "pilot", "rollout", "done"];

export interface Latency {
  p50: number | null;
  p95: number | null;
}
export interface ShadowTotals {
  calls: number;
  shadowed: number;
  matches: number;
  mismatches: number;
  candidateErrors: number;
  controlErrors: number;
  timeouts: number;
  skipped: number;
  mismatchRate: number;
  errorRate: number;
  latencyMs: { control: Latency; candidate: Latency };
}
export interface ShadowSummary {
  from: string;
  to: string;
  totals: ShadowTotals;
  series: (ShadowTotals & { at: string })[];
  samples: { control: unknown; candidate: unknown; at: number }[];
}
export interface DarkLaunch {
  step: Step;
  next: Step | null;
  candidate: string;
  control: string;
  percentage: number;
  pilotSegment: string | null;
  shadowSampleRate: number;
  readyForRemoval: boolean;
  version: number;
}
export interface AdvanceInput {
  to?: Step;
  segment?: string;
  percentage?: number;
  sampleRate?: number;
}

const base = (env: string, flag: string) =>
  `/environments/${encodeURIComponent(env)}/flags/${encodeURIComponent(flag)}`;
const keys = {
  shadow: (env: string, flag: string) => ["environments", env, "states", flag, "shadow"] as const,
  step: (env: string, flag: string) => ["environments", env, "states", flag, "dark-launch"] as const,
};

/** Polled: SDKs report every few seconds, and the panel is what people watch during a shadow run. */
export function useShadowSummary(env: string, flag: string, windowMinutes = 5) {
  return useQuery({
    queryKey: [...keys.shadow(env, flag), windowMinutes],
    queryFn: () => api<ShadowSummary>(`${base(env, flag)}/shadow`, { query: { windowMinutes } }),
    refetchInterval: 5_000,
  });
}

export function useDarkLaunch(env: string, flag: string) {
  return useQuery({
    queryKey: keys.step(env, flag),
    queryFn: () => api<DarkLaunch>(`${base(env, flag)}/dark-launch`),
    refetchInterval: 5_000,
  });
}

export function useAdvance(env: string, flag: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AdvanceInput & { version: number }) =>
      api<{ darkLaunch: DarkLaunch }>(`${base(env, flag)}/dark-launch/advance`, {
        method: "POST",
        body: input,
      }),
    // The state, the overview and the step all change: refresh everything about this environment.
    onSuccess: () => client.invalidateQueries({ queryKey: ["environments", env] }),
  });
}
