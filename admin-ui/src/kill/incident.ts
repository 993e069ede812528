/** @module `POST /api/v1/environments/{env}/incident`: kill every flag with a tag, in one change. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import type { FlagState, RulesetVersions } from "../api/types.js";

export interface IncidentResult {
  killed: FlagState[];
  rulesetVersions: RulesetVersions;
}

export function useDeclareIncident() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ env, tag, reason }: { env: string; tag: string; reason: string }) =>
      api<IncidentResult>(`/environments/${encodeURIComponent(env)}/incident`, {
        method: "POST",
        body: { tag, reason },
      }),
    onSuccess: (_, { env }) => {
      void client.invalidateQueries({ queryKey: queryKeys.overview });
      void client.invalidateQueries({ queryKey: queryKeys.environment(env) });
      void client.invalidateQueries({ queryKey: ["audit"] });
    },
  });
}
