/**
 * @module Change requests' data (server/src/change-requests): in an environment that requires approval a
 * flag-state write answers 202 `{ changeRequest }` instead of applying; another editor or admin approves
 * (not their own) or rejects it, and anyone signed in may comment.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import type { StateFields } from "../api/types.js";
import { overrideHeaders } from "../freezes/override.js";
import type { Step } from "../schedules/steps.js";

export type ChangeRequestStatus = "pending" | "applied" | "rejected" | "conflicted";

export interface ChangeRequestComment {
  by: string;
  at: string;
  text: string;
}

export interface ChangeRequest {
  id: number;
  /** `state`: an edit of the flag's state; `schedule`: steps at set times in `changes.schedule`. */
  kind?: "state" | "schedule";
  environment: string;
  flag: string;
  /**
   * The state fields the write asked for (all of them for a PUT, only the changed ones for a PATCH), or
   * for a schedule `{ schedule: steps }`.
   */
  changes: Partial<StateFields> | { schedule: Step[] };
  baseVersion: number;
  reason: string | null;
  status: ChangeRequestStatus;
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comments: ChangeRequestComment[];
  createdAt: string;
}

/**
 * The change request a state write filed instead of applying (its 202 body), or null when the write
 * applied. Reads the answer without trusting its static type: callers type writes as applied ones.
 */
export function filedRequest(answer: unknown): ChangeRequest | null {
  if (typeof answer !== "object" || answer === null || !("changeRequest" in answer)) return null;
  const request = (answer as { changeRequest: unknown }).changeRequest;
  return typeof request === "object" && request !== null ? (request as ChangeRequest) : null;
}

/** The steps a schedule request asks for, or null for a state edit (older servers send no `kind`). */
export function requestedSchedule(request: Pick<ChangeRequest, "changes">): Step[] | null {
  const schedule = (request.changes as { schedule?: unknown }).schedule;
  return Array.isArray(schedule) ? (schedule as Step[]) : null;
}

const keys = {
  all: ["change-requests"] as const,
  list: (environment: string) => ["change-requests", environment || "*"] as const,
};

/** Every change request (newest first), or one environment's. */
export function useChangeRequests(environment: string) {
  return useQuery({
    queryKey: keys.list(environment),
    queryFn: () =>
      api<{ changeRequests: ChangeRequest[] }>("/change-requests", {
        query: { environment: environment || undefined },
      }).then((r) => r.changeRequests),
    refetchInterval: 5_000,
  });
}

export type Verdict = "approve" | "reject";

export function useChangeRequestActions() {
  const client = useQueryClient();
  const refresh = (request: ChangeRequest) => {
    void client.invalidateQueries({ queryKey: keys.all });
    void client.invalidateQueries({ queryKey: queryKeys.state(request.environment, request.flag) });
    void client.invalidateQueries({ queryKey: queryKeys.flags });
  };
  const decide = useMutation({
    mutationFn: (input: { request: ChangeRequest; verdict: Verdict; comment: string; override?: string }) =>
      api<{ changeRequest: ChangeRequest }>(`/change-requests/${input.request.id}/${input.verdict}`, {
        method: "POST",
        body: input.comment.trim() ? { comment: input.comment.trim() } : {},
        headers: overrideHeaders(input.override),
      }),
    onSuccess: (_, input) => refresh(input.request),
  });
  const comment = useMutation({
    mutationFn: (input: { request: ChangeRequest; text: string }) =>
      api<ChangeRequest>(`/change-requests/${input.request.id}/comments`, {
        method: "POST",
        body: { text: input.text.trim() },
      }),
    onSuccess: (_, input) => refresh(input.request),
  });
  return { decide, comment };
}
