/**
 * @module Change freezes' data (server/src/freezes): the freezes in force, and setting and lifting one per
 * environment (admins). One query key, so the banner on every screen follows what the freezes page does.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";

export interface Freeze {
  environment: string;
  reason: string;
  /** ISO date-time the freeze ends. */
  until: string;
  createdBy: string;
  createdAt?: string;
}

export const freezeKey = ["freezes"] as const;

const freezePath = (env: string) => `/environments/${encodeURIComponent(env)}/freeze`;

/** The freezes in force now. */
export function useFreezes() {
  return useQuery({
    queryKey: freezeKey,
    queryFn: () => api<{ freezes: Freeze[] }>("/freezes").then((r) => r.freezes),
    refetchInterval: 15_000,
  });
}

export function useFreezeActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: freezeKey });
  const freeze = useMutation({
    mutationFn: (input: { env: string; reason: string; until: string }) =>
      api<{ freeze: Freeze }>(freezePath(input.env), {
        method: "PUT",
        body: { reason: input.reason, until: input.until },
      }),
    onSuccess: refresh,
  });
  const lift = useMutation({
    mutationFn: (env: string) => api<void>(freezePath(env), { method: "DELETE" }),
    onSettled: refresh,
  });
  return { freeze, lift };
}
