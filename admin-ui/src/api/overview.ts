/**
 * @module `GET /api/v1/overview` (server/src/overview): every flag's metadata and, per environment, what it
 * serves in a few words and a fingerprint of its setup. Read by the overview, the incident screen and the
 * segment list. Refetches send the ETag held, so a live poll that finds nothing new is a 304.
 */
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiIfChanged } from "./client.js";
import { queryKeys } from "./query.js";

/** `on`: everyone gets the "on" answer; `partial`: some users (targets, rules, rollout); `off`: off. */
export type ServingTone = "on" | "partial" | "off" | "missing";

export interface OverviewCell {
  on: boolean;
  tone: ServingTone;
  /** What it serves, in a few words: `pilot: beta-testers · 20% rollout`. */
  text: string;
  /** The same as a sentence, for the tooltip. */
  detail: string;
  /** Fingerprint of the setup: equal in two environments means they serve the same. Null: not known yet. */
  setup: string | null;
  segments?: string[];
  /** Drawn from a change made here (a kill) until the server's answer replaces it. */
  pending?: true;
}

export interface OverviewFlag {
  key: string;
  name: string;
  description: string;
  tags: string[];
  owner: string | null;
  temporary: boolean;
  /** By environment key; missing: the flag has no state there. */
  cells: Record<string, OverviewCell>;
}

export interface Overview {
  /** Null after a local change: the next fetch asks for the whole answer. */
  etag: string | null;
  flags: OverviewFlag[];
}

/**
 * What the server sends: each distinct cell once, and per flag an index into them per environment (in
 * the order of `environments`; null: no state there).
 */
export interface OverviewAnswer {
  environments: string[];
  cells: OverviewCell[];
  flags: (Omit<OverviewFlag, "cells"> & { cells: (number | null)[] })[];
}

function toOverview(answer: OverviewAnswer, etag: string | null): Overview {
  return {
    etag,
    flags: answer.flags.map(({ cells, ...flag }) => {
      const byEnv: Record<string, OverviewCell> = {};
      for (const [i, env] of answer.environments.entries()) {
        const cell = answer.cells[cells[i] ?? -1];
        if (cell) byEnv[env] = cell;
      }
      return { ...flag, cells: byEnv };
    }),
  };
}

export async function fetchOverview(held: Overview | undefined): Promise<Overview> {
  const fresh = await apiIfChanged<OverviewAnswer>("/overview", held?.etag);
  if (fresh) return toOverview(fresh.data, fresh.etag);
  return held as Overview;
}

const overviewQuery = (client: QueryClient) => ({
  queryKey: queryKeys.overview,
  queryFn: () => fetchOverview(client.getQueryData<Overview>(queryKeys.overview)),
});

/** The overview (or what `select` picks from it). */
export function useOverview<T = Overview>(select?: (overview: Overview) => T) {
  const client = useQueryClient();
  return useQuery({ ...overviewQuery(client), select });
}

/** Starts loading the overview now (the landing screen asks for it alongside the session check). */
export function prefetchOverview(client: QueryClient): void {
  void client.prefetchQuery(overviewQuery(client));
}

/** Draws a kill at once (until the refetch brings the server's summary) and asks for the real answer. */
export function showKilled(client: QueryClient, flag: string, env: string): void {
  client.setQueryData<Overview>(queryKeys.overview, (overview) =>
    overview
      ? {
          etag: null,
          flags: overview.flags.map((f) =>
            f.key === flag
              ? {
                  ...f,
                  cells: {
                    ...f.cells,
                    [env]: {
                      on: false,
                      tone: "off",
                      text: "off",
                      detail: "Killed: everyone gets the off variation.",
                      setup: null,
                      pending: true,
                    },
                  },
                }
              : f,
          ),
        }
      : overview,
  );
  void client.invalidateQueries({ queryKey: queryKeys.overview });
}
