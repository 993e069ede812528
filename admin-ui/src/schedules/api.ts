/**
 * @module Scheduled changes' data: a flag's schedules in one environment (with their logs), creating one
 * and cancelling one (editors). The server pauses a schedule while a guard of the flag is tripped or the
 * environment is frozen, and says why.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { flagPath } from "../api/flags.js";
import { overrideHeaders } from "../freezes/override.js";
import type { Step } from "./steps.js";

export type ScheduleStatus = "active" | "paused" | "done" | "cancelled" | "failed";

export interface ScheduleLogEntry {
  at: string;
  step: number;
  outcome: string;
  detail: string;
}

export interface Schedule {
  id: number;
  environment: string;
  flag: string;
  steps: Step[];
  /** Index of the next step to apply; steps before it were applied. */
  nextStep: number;
  status: ScheduleStatus;
  pausedReason: string | null;
  log: ScheduleLogEntry[];
  createdBy: string;
  createdAt: string;
}

const key = (env: string, flag: string) => ["schedules", env, flag] as const;
const schedulesPath = (env: string, flag: string) => `${flagPath(env, flag)}/schedules`;

export function useSchedules(env: string, flag: string) {
  return useQuery({
    queryKey: key(env, flag),
    queryFn: () => api<{ schedules: Schedule[] }>(schedulesPath(env, flag)).then((r) => r.schedules),
    enabled: Boolean(env && flag),
    refetchInterval: 10_000,
  });
}

export function useScheduleActions(env: string, flag: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: key(env, flag) });
  const create = useMutation({
    mutationFn: (input: { steps: Step[]; override?: string }) =>
      api<Schedule>(schedulesPath(env, flag), {
        method: "POST",
        body: { steps: input.steps },
        headers: overrideHeaders(input.override),
      }),
    onSuccess: refresh,
  });
  const cancel = useMutation({
    mutationFn: (input: { id: number; override?: string }) =>
      api<void>(`${schedulesPath(env, flag)}/${input.id}`, {
        method: "DELETE",
        headers: overrideHeaders(input.override),
      }),
    onSettled: refresh,
  });
  return { create, cancel };
}
