/**
 * @module The other flags a state's prerequisites lead to in one environment, followed all the way down
 * (a prerequisite may have its own), as ruleset flags with the segments they use: so the preview
 * evaluates prerequisites as SDKs do, with the environment's real setup of those flags.
 */
import type { Flag, Segment } from "@switchyard/core";
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { flagPath } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import type { FlagDefinition, FlagState, StateFields } from "../api/types.js";
import { segmentKeysUsed } from "./preview.js";

export interface PrerequisiteRuleset {
  flags: Flag[];
  segments: Segment[];
}

const EMPTY: PrerequisiteRuleset = { flags: [], segments: [] };

export const fetchDefinition = (client: QueryClient, key: string) =>
  client.fetchQuery({
    queryKey: queryKeys.flag(key),
    queryFn: () => api<FlagDefinition>(`/flags/${encodeURIComponent(key)}`),
    staleTime: 30_000,
  });

const fetchState = (client: QueryClient, env: string, key: string) =>
  client.fetchQuery({
    queryKey: queryKeys.state(env, key),
    queryFn: () => api<FlagState>(flagPath(env, key)),
    staleTime: 30_000,
  });

const fetchSegment = (client: QueryClient, env: string, key: string) =>
  client.fetchQuery({
    queryKey: queryKeys.segment(env, key),
    queryFn: () =>
      api<Segment>(`/environments/${encodeURIComponent(env)}/segments/${encodeURIComponent(key)}`),
    staleTime: 30_000,
  });

export function rulesetFlag(definition: FlagDefinition, state: StateFields): Flag {
  return {
    key: definition.key,
    kind: definition.kind,
    variations: definition.variations,
    version: 1,
    salt: definition.salt ?? definition.key,
    clientVisible: definition.clientVisible,
    on: state.on,
    offVariation: state.offVariation,
    targets: state.targets,
    rules: state.rules,
    fallthrough: state.fallthrough,
    prerequisites: state.prerequisites,
    shadow: state.shadow,
  };
}

/** Breadth-first from `start`; `self` is left out (a cycle back to it is the draft's own). */
async function loadPrerequisites(
  client: QueryClient,
  env: string,
  self: string,
  start: string[],
): Promise<PrerequisiteRuleset> {
  const flags = new Map<string, Flag>();
  let frontier = start.filter((k) => k && k !== self);
  while (frontier.length > 0) {
    const loaded = await Promise.all(
      frontier.map(async (key) => {
        const [definition, state] = await Promise.all([
          fetchDefinition(client, key),
          fetchState(client, env, key),
        ]);
        return rulesetFlag(definition, state);
      }),
    );
    for (const flag of loaded) flags.set(flag.key, flag);
    frontier = [...new Set(loaded.flatMap((f) => (f.prerequisites ?? []).map((p) => p.flagKey)))].filter(
      (k) => k !== self && !flags.has(k),
    );
  }
  const segmentKeys = [
    ...new Set([...flags.values()].flatMap((f) => segmentKeysUsed({ rules: f.rules ?? [] }))),
  ];
  const segments = await Promise.all(segmentKeys.map((key) => fetchSegment(client, env, key)));
  return { flags: [...flags.values()], segments };
}

export function usePrerequisiteRuleset(env: string, self: string, state: StateFields) {
  const client = useQueryClient();
  const start = [...new Set(state.prerequisites.map((p) => p.flagKey))].sort();
  const query = useQuery({
    // Under the environment, so a change there (live updates) loads them again.
    queryKey: ["environments", env, "prerequisites", self, start],
    queryFn: () => loadPrerequisites(client, env, self, start),
    enabled: start.length > 0,
  });
  return start.length === 0 ? { data: EMPTY, error: null } : { data: query.data, error: query.error };
}
