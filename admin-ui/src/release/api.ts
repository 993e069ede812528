/**
 * @module The release screen's data (server/src/promotion/schemas.ts): the pipeline, promotion previews,
 * promotions with their gate records, and the decisions on them (approve, reject, revert).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import type { StateFields } from "../api/types.js";
import { overrideHeaders } from "../freezes/override.js";

export interface PipelineCell {
  environment: string;
  on: boolean;
  sameAsPrevious: boolean | null;
  /** Where this environment differs from the one before it; `blockedBy` says what would stop it. */
  promote: { from: string; to: string; blockedBy: string[] } | null;
  pendingPromotion: number | null;
}
export interface Pipeline {
  environments: { key: string; name: string }[];
  flags: { flag: string; name: string; tags: string[]; inSync: boolean; environments: PipelineCell[] }[];
}

/** What to promote: every flag with a tag (a release), or the listed flags (one flag is `[key]`). */
export type Selection = { from: string; to: string[] } & ({ tag: string } | { flags: string[] });

export type Gate =
  | { type: "approval" }
  /** `approval`: also waits for an approval (always so into an environment that requires one). */
  | { type: "soak"; minutes: number; maxMismatchRate?: number; approval?: boolean };

export interface PromotionProblem {
  environment: string;
  flag: string;
  kind?: "missing-segment" | "invalid";
  message: string;
  path?: string;
  segment?: string;
}

export interface PreviewFlag {
  flag: string;
  /** The target's setup now, and what it will be afterwards (older servers may leave them out). */
  before?: StateFields & { version: number };
  after?: StateFields;
  changes: string[];
  unchanged: boolean;
}

/** A 409's `current` when a promotion's target changed since its preview: the preview as it would apply now. */
export function newerPreview(error: unknown): Preview | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const current = error.current<Partial<Preview>>();
  return current && typeof current.hash === "string" && Array.isArray(current.targets)
    ? (current as Preview)
    : null;
}

export interface Preview {
  /** The source setups' versions the promotion pinned (older servers may leave them out). */
  sourceVersions?: Record<string, number>;
  blocked: boolean;
  hash: string;
  problems: PromotionProblem[];
  targets: { environment: string; flags: PreviewFlag[] }[];
}

export type PromotionStatus = "pending" | "applied" | "rejected" | "failed" | "reverted";

export interface Promotion {
  id: number;
  from: string;
  to: string[];
  selector?: { tag: string } | { flags: string[] };
  flags: string[];
  status: PromotionStatus;
  gate: Gate | null;
  reason?: string | null;
  error?: string | null;
  requestedBy: string;
  requestedAt: string;
  appliedBy: string | null;
  appliedAt?: string | null;
  revertedBy?: string | null;
  revertedAt?: string | null;
}

/** One line of a promotion's gate record: what passed (or failed) which gate, when, by whom. */
export interface GateEvent {
  gate: "approval" | "soak" | "apply";
  outcome: "passed" | "rejected" | "failed";
  by: string;
  at: string;
  comment: string | null;
  details: unknown;
}

export interface PromotionDetail extends Promotion {
  previewHash: string;
  preview: Preview | null;
  gateRecord: GateEvent[];
}

const keys = {
  all: ["promotions"] as const,
  pipeline: (tag: string) => ["promotions", "pipeline", tag] as const,
  list: ["promotions", "list"] as const,
  one: (id: number) => ["promotions", "one", id] as const,
};

export function usePipeline(tag: string) {
  return useQuery({
    queryKey: keys.pipeline(tag),
    queryFn: () => api<Pipeline>("/promotions/pipeline", { query: { tag: tag || undefined } }),
    refetchInterval: 10_000,
  });
}

export function usePromotions() {
  return useQuery({
    queryKey: keys.list,
    queryFn: () => api<{ promotions: Promotion[] }>("/promotions").then((r) => r.promotions),
    refetchInterval: 5_000,
  });
}

export function usePromotion(id: number) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: () => api<PromotionDetail>(`/promotions/${id}`),
    refetchInterval: 5_000,
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: (s: Selection) => api<Preview>("/promotions/preview", { method: "POST", body: s }),
  });
}

export interface PromoteInput {
  selection: Selection;
  expectedPreview: string;
  gate?: Gate;
  reason?: string;
  /** An admin's reason for writing through a freeze. */
  override?: string;
}

export type Decision =
  | {
      id: number;
      verdict: "approve";
      comment?: string;
      override?: string;
      /** The hash of the newer preview the approver saw after a 409 (a target changed since the request). */
      expectedPreview?: string;
    }
  | { id: number; verdict: "reject"; comment: string; override?: string }
  | { id: number; verdict: "revert"; force?: boolean; reason?: string; override?: string };

const decisionBody = (d: Decision) => {
  if (d.verdict === "revert")
    return { ...(d.force ? { force: true } : {}), ...(d.reason ? { reason: d.reason } : {}) };
  const expected = d.verdict === "approve" && d.expectedPreview ? { expectedPreview: d.expectedPreview } : {};
  return { ...(d.comment?.trim() ? { comment: d.comment.trim() } : {}), ...expected };
};

export function usePromotionActions() {
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: keys.all });
    // A promotion rewrites flag states: the overview and flag pages should show them at once.
    void client.invalidateQueries({ queryKey: queryKeys.flags });
    void client.invalidateQueries({ queryKey: queryKeys.environments });
  };
  const promote = useMutation({
    mutationFn: ({ selection, expectedPreview, gate, reason, override }: PromoteInput) =>
      api<{ id: number; status: PromotionStatus }>("/promotions", {
        method: "POST",
        body: { ...selection, expectedPreview, ...(gate ? { gate } : {}), ...(reason ? { reason } : {}) },
        headers: overrideHeaders(override),
      }),
    onSuccess: refresh,
  });
  const decide = useMutation({
    mutationFn: (d: Decision) =>
      api<{ id: number; status: PromotionStatus }>(`/promotions/${d.id}/${d.verdict}`, {
        method: "POST",
        body: decisionBody(d),
        headers: overrideHeaders(d.override),
      }),
    onSettled: refresh,
  });
  return { promote, decide };
}
