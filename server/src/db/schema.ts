/**
 * @module The database, described once. Every query is checked against these types; migrations in
 * `./migrations` create exactly these tables. jsonb columns hold the core wire types (see `@switchyard/core`).
 */

import type { Clause, Prerequisite, Rule, Serve, ShadowRule, Target, Variation } from "@switchyard/core";
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** jsonb column: written as the value, read back as the value. */
type Json<T> = ColumnType<T, T, T>;
/** timestamptz: read as Date, written as Date or ISO string, defaulted where Generated. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** bigint columns arrive as strings from pg; we keep them as numbers in code (all fit in 2^53). */
type BigCount = ColumnType<number, number, number>;
/**
 * Kysely's `Generated<T>` does not unwrap a `ColumnType`: wrapping `Timestamp` in it would select as the
 * wrapper type. These spell out the defaulted variants directly.
 */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type GeneratedBigCount = ColumnType<number, number | undefined, number>;

export type Role = "viewer" | "editor" | "admin";
export type ApiKeyKind = "admin" | "server" | "client";
export type ActorType = "user" | "api_key" | "system" | "guard";

export interface EnvironmentsTable {
  key: string;
  name: string;
  /** Position in the release path: development (0) → staging (1) → production (2). */
  sort_order: number;
  color: string | null;
  /** Bumps with every committed change that affects this environment's ruleset. */
  ruleset_version: GeneratedBigCount;
  /** Origins allowed to call client endpoints from browsers (CORS). `["*"]` allows any. */
  cors_origins: Json<string[]>;
  /** Salt for hashing pilot-user keys in the browser-safe ruleset. */
  key_hash_salt: string;
  requires_approval: Generated<boolean>;
  /** Edit version of the environment's settings (migration 0002). */
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface FlagsTable {
  key: string;
  name: string;
  description: Generated<string>;
  kind: "boolean" | "string" | "number" | "json";
  variations: Json<Variation[]>;
  tags: Json<string[]>;
  owner: string | null;
  temporary: Generated<boolean>;
  client_visible: Generated<boolean>;
  salt: string;
  /** Definition version (name, variations, tags…); per-environment state has its own version. */
  version: Generated<number>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: GeneratedTimestamp;
}

/** A flag's state in one environment: the kill switch, targets, rules, fallthrough, shadow. */
export interface FlagStatesTable {
  flag_key: string;
  environment_key: string;
  on: Generated<boolean>;
  off_variation: string;
  prerequisites: Json<Prerequisite[]>;
  targets: Json<Target[]>;
  rules: Json<Rule[]>;
  fallthrough: Json<Serve>;
  shadow: Json<ShadowRule | null>;
  version: Generated<number>;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}

/** Pilot-user cohorts, per environment (promotion maps them by key). */
export interface SegmentsTable {
  environment_key: string;
  key: string;
  name: string;
  description: Generated<string>;
  included: Json<string[]>;
  excluded: Json<string[]>;
  rules: Json<{ id?: string; clauses: Clause[] }[]>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  /** scrypt, `scrypt$N$r$p$salt$hash` (base64); null until the user completes setup. */
  password_hash: string | null;
  disabled_at: Timestamp | null;
  /** Edit version (migration 0002). */
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  token_hash: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

/** One-time links: first-run setup and password resets. */
export interface SetupTokensTable {
  token_hash: string;
  user_id: number;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  kind: ApiKeyKind;
  /** For admin tokens. */
  role: Role | null;
  /** For server and client keys: the one environment they read. */
  environment_key: string | null;
  /** SHA-256 of the secret (secrets are 256-bit random, so a fast hash is safe). */
  key_hash: string;
  /** First characters of the secret, to recognise a key in lists. */
  prefix: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Append-only: who did what, when, to what, before and after. */
export interface AuditLogTable {
  id: GeneratedBigCount;
  at: GeneratedTimestamp;
  actor_type: ActorType;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_key: string;
  environment_key: string | null;
  flag_key: string | null;
  reason: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
}

/**
 * One row per committed ruleset version: what changed, so the stream can send deltas and
 * resume after `Last-Event-ID`, and so delivery latency can be measured from `committed_at`.
 */
export interface RulesetChangesTable {
  environment_key: string;
  version: BigCount;
  flags_changed: Json<string[]>;
  segments_changed: Json<string[]>;
  /** The audit entry this version came from. */
  audit_id: BigCount | null;
  committed_at: GeneratedTimestamp;
}

/** Evaluation counts per hour, from SDK metrics. */
export interface EvaluationMetricsTable {
  environment_key: string;
  flag_key: string;
  variant: string;
  hour: Timestamp;
  count: BigCount;
}

export interface FlagLastEvaluatedTable {
  environment_key: string;
  flag_key: string;
  at: Timestamp;
}

/** Every SDK instance seen, with the ruleset version it last acknowledged. */
export interface SdkInstancesTable {
  environment_key: string;
  instance_id: string;
  sdk: string;
  version: BigCount | null;
  applied_at: Timestamp | null;
  acked_at: Timestamp | null;
  last_seen_at: Timestamp;
}

/** Shadow-traffic statistics from SDKs, one row per flush, environment, flag and minute. */
export interface ShadowReportsTable {
  id: GeneratedBigCount;
  environment_key: string;
  flag_key: string;
  minute: Timestamp;
  calls: number;
  shadowed: number;
  matches: number;
  mismatches: number;
  candidate_errors: number;
  control_errors: number;
  timeouts: number;
  skipped: number;
  control_latency: Json<number[]>;
  candidate_latency: Json<number[]>;
  samples: Json<{ control: unknown; candidate: unknown; at: number }[]>;
}

export type PromotionGate =
  | { type: "approval" }
  /** `approval`: it also waits for an approval (always, into an environment that requires approval). */
  | { type: "soak"; minutes: number; maxMismatchRate?: number; approval?: boolean };

/** A promotion: one flag setup copied from one environment to others (see `src/promotion/`). */
export interface PromotionsTable {
  id: Generated<number>;
  from_environment: string;
  to_environments: Json<string[]>;
  selector: Json<{ flags: string[] } | { tag: string }>;
  /** The flags the selector resolved to when the promotion was requested. */
  flags: Json<string[]>;
  gate: Json<PromotionGate | null>;
  status: "pending" | "applied" | "rejected" | "failed" | "reverted";
  preview_hash: string;
  preview: Json<unknown>;
  /** Per flag: the source setup as previewed (what is applied) and its source version. */
  source_states: Json<Record<string, unknown>>;
  /** Per environment, per flag: the target setups the promotion replaced (what a revert puts back). */
  replaced_states: Json<Record<string, Record<string, unknown>>> | null;
  /** Per environment, per flag: the state version the promotion wrote. */
  applied_versions: Json<Record<string, Record<string, number>>> | null;
  reason: string | null;
  error: string | null;
  requested_by: string;
  /** The person who requested it (`user:<email>`, also for their API keys), who cannot approve it. */
  requested_by_id: string;
  requested_at: GeneratedTimestamp;
  applied_by: string | null;
  applied_at: Timestamp | null;
  reverted_by: string | null;
  reverted_at: Timestamp | null;
}

/** What passed (or failed) which gate of a promotion, when, and by whom. */
export interface PromotionGateEventsTable {
  id: Generated<number>;
  promotion_id: number;
  gate: "approval" | "soak" | "apply";
  outcome: "passed" | "rejected" | "failed";
  actor_name: string;
  actor_id: string | null;
  comment: string | null;
  details: Json<unknown> | null;
  at: GeneratedTimestamp;
}

export type GuardMetric = "mismatch_rate" | "error_rate" | "latency_p95_ratio";
export type GuardAction = "kill" | "stop_ramp";

/** A limit on a flag's shadow statistics in one environment, with its sequential test's running state. */
export interface GuardsTable {
  id: Generated<number>;
  environment_key: string;
  flag_key: string;
  metric: GuardMetric;
  limit: number;
  action: GuardAction;
  alpha: number;
  status: Generated<"green" | "tripped">;
  /** The test's statistic: its highest CUSUM score (for latency, over the edges both paths confirm). */
  llr: Generated<number>;
  trials: Generated<string | number>;
  events: Generated<string | number>;
  /** CUSUM scores: one for a rate guard; for latency, one per edge for the control, then the candidate. */
  scores: ColumnType<number[], number[] | undefined, number[]>;
  /** Trials since the scores last restarted (they restart at most once per RESTART_TRIALS). */
  since_restart: Generated<string | number>;
  /** Latency histograms of both paths since the test started. */
  control_latency: ColumnType<number[], number[] | undefined, number[]>;
  candidate_latency: ColumnType<number[], number[] | undefined, number[]>;
  /** The dark-launch step the statistics were gathered at; another step starts the test afresh. */
  step: string | null;
  tripped_at: Timestamp | null;
  trip: Json<unknown> | null;
  created_at: CreatedAt;
}

export type WebhookFormat = "json" | "slack";

/** Where notifications go: a URL, which actions (patterns such as `flag.*`), one environment or all. */
export interface WebhooksTable {
  id: Generated<number>;
  name: string;
  url: string;
  events: Json<string[]>;
  environment_key: string | null;
  format: WebhookFormat;
  /** HMAC key: kept as is because signing needs it; shown once at creation, never returned again. */
  secret: string;
  enabled: Generated<boolean>;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface WebhookAttempt {
  at: string;
  status: number | null;
  error: string | null;
  ms: number;
}

/** The outbox: one row per notification and webhook, with its attempts. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  webhook_id: number;
  audit_id: number | null;
  event: string;
  payload: Json<unknown>;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: ColumnType<WebhookAttempt[], WebhookAttempt[] | undefined, WebhookAttempt[]>;
  next_attempt_at: Timestamp;
  leased_until: Timestamp | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

/** A change freeze on one environment, until a time. */
export interface FreezesTable {
  environment_key: string;
  reason: string;
  until: Timestamp;
  created_by: string;
  created_at: CreatedAt;
}

export type ScheduleStep =
  | { at: string; action: "on" }
  | { at: string; action: "off" }
  | { at: string; action: "rollout"; percentage: number };

export interface ScheduleLogEntry {
  at: string;
  step: number;
  outcome: "applied" | "paused" | "resumed" | "failed";
  detail: string;
}

/** Steps at set times for one flag in one environment, applied in order. */
export interface SchedulesTable {
  id: Generated<number>;
  environment_key: string;
  flag_key: string;
  steps: Json<ScheduleStep[]>;
  next_step: Generated<number>;
  status: Generated<"active" | "paused" | "done" | "cancelled" | "failed">;
  paused_reason: string | null;
  log: ColumnType<ScheduleLogEntry[], ScheduleLogEntry[] | undefined, ScheduleLogEntry[]>;
  created_by: string;
  created_at: CreatedAt;
}

export interface ChangeRequestComment {
  by: string;
  at: string;
  text: string;
}

/** A flag-state edit waiting for another person's approval (environments that require it). */
export interface ChangeRequestsTable {
  id: Generated<number>;
  environment_key: string;
  flag_key: string;
  changes: Json<Record<string, unknown>>;
  base_version: number;
  reason: string | null;
  status: Generated<"pending" | "applied" | "rejected" | "conflicted">;
  requested_by: string;
  /** Who is behind the request (a user, or the user who created the key), so they cannot approve it. */
  requested_by_id: string;
  decided_by: string | null;
  decided_at: Timestamp | null;
  comments: ColumnType<ChangeRequestComment[], ChangeRequestComment[] | undefined, ChangeRequestComment[]>;
  created_at: CreatedAt;
}

/** What the start-up flags file last wrote for a flag in an environment. */
export interface FlagsFileAppliedTable {
  environment_key: string;
  flag_key: string;
  state_version: number;
  content: string;
}

/** What the start-up flags file last wrote for a segment in an environment (migration 0015). */
export interface FlagsFileSegmentsTable {
  environment_key: string;
  segment_key: string;
  segment_version: number;
  content: string;
}

export interface Database {
  environments: EnvironmentsTable;
  flags: FlagsTable;
  flag_states: FlagStatesTable;
  segments: SegmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  /** Every flag an audit entry concerns (one entry can concern several). */
  audit_log_flags: { audit_id: number; flag_key: string };
  ruleset_changes: RulesetChangesTable;
  evaluation_metrics: EvaluationMetricsTable;
  flag_last_evaluated: FlagLastEvaluatedTable;
  sdk_instances: SdkInstancesTable;
  shadow_reports: ShadowReportsTable;
  promotions: PromotionsTable;
  promotion_gate_events: PromotionGateEventsTable;
  guards: GuardsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  freezes: FreezesTable;
  schedules: SchedulesTable;
  change_requests: ChangeRequestsTable;
  flags_file_applied: FlagsFileAppliedTable;
  flags_file_segments: FlagsFileSegmentsTable;
}

export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type FlagRow = Selectable<FlagsTable>;
export type NewFlagRow = Insertable<FlagsTable>;
export type FlagStateRow = Selectable<FlagStatesTable>;
export type FlagStateUpdate = Updateable<FlagStatesTable>;
export type SegmentRow = Selectable<SegmentsTable>;
export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AuditRow = Selectable<AuditLogTable>;
