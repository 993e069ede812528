/** @module The release screen's data: the pipeline, promotion previews, promotions and their decisions. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";

export interface PipelineCell {
  environment: string;
  on: boolean;
  sameAsPrevious: boolean | null;
  promote: { from: string; to: string; blockedBy: string[] } | null;
  pendingPromotion: number | null;
}
export interface Pipeline {
  environments: { key: string; name: string }[];
  flags: { flag: string; name: string; tags: string[]; inSync: boolean; environments: PipelineCell[] }[];
}
export type Selection = { from: string; to: string[] } & ({ tag: string } | { flags: string[] });
export interface Preview {
  blocked: boolean;
  hash: string;
  problems: { environment: string; flag: string; message: string }[];
  targets: { environment: string; flags: { flag: string; changes: string[]; unchanged: boolean }[] }[];
}
export interface Promotion {
  id: number;
  from: string;
  to: string[];
  flags: string[];
  status: "pending" | "applied" | "rejected" | "failed" | "reverted";
  gate: { type: string } | null;
  requestedBy: string;
  requestedAt: string;
  appliedBy: string | null;
}

const keys = {
  pipeline: (tag: string) => ["promotions", "pipeline", tag] as const,
  list: ["promotions"] as const,
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

export function usePreview() {
  return useMutation({
    mutationFn: (s: Selection) => api<Preview>("/promotions/preview", { method: "POST", body: s }),
  });
}

export function usePromotionActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["promotions"] });
  const promote = useMutation({
    mutationFn: (input: Selection & { expectedPreview: string; gate?: { type: "approval" } }) =>
      api<{ id: number; status: string }>("/promotions", { method: "POST", body: input }),
    onSuccess: refresh,
  });
  const decide = useMutation({
    mutationFn: ({
      id,
      verdict,
      comment,
    }: {
      id: number;
      verdict: "approve" | "reject" | "revert";
      comment?: string;
    }) =>
      api(`/promotions/${id}/${verdict}`, {
        method: "POST",
        body:
          verdict === "reject"
            ? { comment: comment || "rejected in the admin UI" }
            : comment
              ? { comment }
              : {},
      }),
    onSuccess: refresh,
  });
  return { promote, decide };
}
