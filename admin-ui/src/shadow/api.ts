/**
 * @module The shadow panel's data: the flag's shadow statistics over time, where it is on the dark-launch
 * path, and the one-click move to the next step (server: `src/shadow`, `src/dark-launch`).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import type { Guard } from "../guards/api.js";

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
  /** Guards that tripped and no longer watch: the server refuses the next move until they are re-armed. */
  trippedGuards?: Pick<Guard, "id" | "metric" | "limit" | "action" | "trippedAt" | "trip">[];
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

/** The time ranges the panel offers, each with a window size that gives a readable number of points. */
export const RANGES = {
  "1h": { label: "1 h", words: "hour", ms: 3_600_000, windowMinutes: 5 },
  "24h": { label: "24 h", words: "24 hours", ms: 86_400_000, windowMinutes: 60 },
  "7d": { label: "7 d", words: "7 days", ms: 7 * 86_400_000, windowMinutes: 360 },
} as const;
export type Range = keyof typeof RANGES;

/** Polled: SDKs report every few seconds, and the panel is what people watch during a shadow run. */
export function useShadowSummary(env: string, flag: string, range: Range = "1h") {
  const { ms, windowMinutes } = RANGES[range];
  return useQuery({
    queryKey: [...keys.shadow(env, flag), range],
    queryFn: () =>
      api<ShadowSummary>(`${base(env, flag)}/shadow`, {
        query: { windowMinutes, from: new Date(Date.now() - ms).toISOString() },
      }),
    refetchInterval: range === "1h" ? 5_000 : 60_000,
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
