/**
 * @module The admin API's answers as the UI sees them. Targeting types come from `@switchyard/core`
 * (the same ones the server validates against); the views mirror server/src/flags/store.ts,
 * state-store.ts, environments/routes.ts and auth/routes.ts.
 */
import type { FlagKind, Prerequisite, Rule, Serve, ShadowRule, Target, Variation } from "@switchyard/core";

export type {
  Clause,
  ClauseValue,
  FlagKind,
  JsonValue,
  Operator,
  Prerequisite,
  Rollout,
  Rule,
  Serve,
  ShadowRule,
  Target,
  Variation,
} from "@switchyard/core";
export { BUCKET_COUNT } from "@switchyard/core";

export type Role = "viewer" | "editor" | "admin";

/** `GET /api/v1/auth/me`: who is calling. */
export interface Me {
  type: "user" | "api_key" | "system" | "guard";
  id: string | null;
  name: string;
  role: Role;
}

/** `GET /api/v1/environments` items. */
export interface Environment {
  key: string;
  name: string;
  sortOrder: number;
  color: string | null;
  corsOrigins: string[];
  requiresApproval: boolean;
  /** Bumps on every change that affects this environment's ruleset: a cheap "did anything change?". */
  rulesetVersion: number;
  version: number;
  createdAt: string;
}

/** A flag's definition (`PATCH /api/v1/flags/{flag}` edits it). */
export interface FlagDefinition {
  key: string;
  name: string;
  description: string;
  kind: FlagKind;
  variations: Variation[];
  tags: string[];
  owner: string | null;
  temporary: boolean;
  clientVisible: boolean;
  /** Bucketing salt: the flag page's preview buckets exactly as SDKs do. */
  salt?: string;
  archived: boolean;
  archivedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/v1/flags/{flag}` (and `/flags` items): the definition plus on/off per environment. */
export interface FlagSummary extends FlagDefinition {
  states: Record<string, { on: boolean; version: number }>;
}

/** The targeting part of a state: what `PUT /environments/{env}/flags/{flag}` replaces. */
export interface StateFields {
  on: boolean;
  offVariation: string;
  targets: Target[];
  rules: Rule[];
  fallthrough: Serve;
  prerequisites: Prerequisite[];
  shadow: ShadowRule | null;
}

/** `GET /api/v1/environments/{env}/flags[/{flag}]`: a flag's state in one environment. */
export interface FlagState extends StateFields {
  flag: string;
  environment: string;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

/** Ruleset version per environment after a write (what SDKs must reach for the change to be live). */
export type RulesetVersions = Record<string, number>;

/** Answer of state writes: PUT/PATCH/kill. */
export interface StateWrite {
  state: FlagState;
  version: number;
  rulesetVersions: RulesetVersions;
}

/** Answer of flag definition writes: create, PATCH, archive. */
export interface FlagWrite {
  flag: FlagDefinition;
  version: number;
  rulesetVersions: RulesetVersions;
}
