/**
 * @module The session: who is logged in (`GET /api/v1/auth/me`, null when not), log in, log out, and the
 * first-run setup (`/api/v1/auth/setup?token=…`, reached through the link the server prints).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import type { Me, Role } from "../api/types.js";

export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>("/auth/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** The caller, `null` when logged out, `undefined` while loading. */
export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 60_000 });
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Whether the caller may do what needs `role` (the server checks again; this only hides controls). */
export function useCan(role: Role): boolean {
  const me = useMe().data;
  return me ? RANK[me.role] >= RANK[role] : false;
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<Me>("/auth/login", { method: "POST", body: input }),
    onSuccess: (me) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" });
      client.setQueryData(queryKeys.me, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>("/auth/logout", { method: "POST" }),
    onSettled: () => {
      client.clear();
      client.setQueryData(queryKeys.me, null);
    },
  });
}

export interface SetupInfo {
  email: string;
  name: string;
  role: string;
}

export function useSetupInfo(token: string) {
  return useQuery({
    queryKey: ["setup", token],
    queryFn: () => api<SetupInfo>("/auth/setup", { query: { token } }),
    enabled: token !== "",
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSetup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { token: string; password: string; email?: string; name?: string }) =>
      api<Me>("/auth/setup", { method: "POST", body: input }),
    onSuccess: (me) => client.setQueryData(queryKeys.me, me),
  });
}
