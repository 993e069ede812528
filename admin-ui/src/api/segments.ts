/**
 * @module The segment list of an environment, as the server answers it, under `queryKeys.segments(env)`:
 * one shape for every screen that shares that cache entry (pick what you need with `select`).
 */
import { useQuery } from "@tanstack/react-query";
import { api } from "./client.js";
import { queryKeys } from "./query.js";

export interface SegmentSummary {
  key: string;
  name: string;
  description?: string;
}

export const fetchSegments = (env: string) =>
  api<{ segments: SegmentSummary[] }>(`/environments/${encodeURIComponent(env)}/segments`);

export function useSegmentList<T = { segments: SegmentSummary[] }>(
  env: string,
  options: { enabled?: boolean; select?: (data: { segments: SegmentSummary[] }) => T } = {},
) {
  return useQuery({
    queryKey: queryKeys.segments(env),
    queryFn: () => fetchSegments(env),
    staleTime: 30_000,
    ...options,
  });
}
