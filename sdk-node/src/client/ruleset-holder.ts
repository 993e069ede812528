/**
 * @module The ruleset the client serves. A new ruleset or delta replaces it only once it validates and
 * compiles; anything else is rejected and the last good one stays. Reports which flags each update changed.
 */
import type { Ruleset, RulesetDelta } from "@switchyard/core";
import { changedBetween, changedByDelta } from "../evaluation/changed-flags.js";
import {
  type CompiledRuleset,
  InvalidRulesetError,
  loadRuleset,
  patchRuleset,
} from "../evaluation/engine.js";
import type { RulesetSource } from "./events.js";

export type UpdateOutcome =
  | { kind: "applied"; version: number; changed: string[]; first: boolean }
  /** Already held (same version and environment). */
  | { kind: "unchanged" }
  | { kind: "rejected"; error: Error }
  /** A delta that does not start from the version held: fetch the full ruleset instead. */
  | { kind: "refetch"; reason: string };

export class RulesetHolder {
  ruleset: Ruleset | undefined;
  compiled: CompiledRuleset | undefined;
  etag: string | undefined;
  source: RulesetSource | undefined;
  /** Epoch ms when the held version was applied (reported in acks). */
  appliedAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get version(): number | undefined {
    return this.ruleset?.version;
  }

  /** The server confirmed (304) that the held ruleset is current. */
  confirm(): void {
    if (this.ruleset) this.source = "server";
  }

  /**
   * A whole ruleset. The server is authoritative, so a lower version is accepted too (a restored database),
   * unless `allowOlder` is false: an answer overtaken by a newer update that arrived meanwhile.
   */
  replace(
    input: unknown,
    etag: string | undefined,
    source: RulesetSource,
    allowOlder = true,
    trusted = false,
  ): UpdateOutcome {
    const candidate = input as Partial<Ruleset> | null;
    if (
      !allowOlder &&
      this.ruleset &&
      typeof candidate?.version === "number" &&
      candidate.version < this.ruleset.version &&
      candidate.environment === this.ruleset.environment
    ) {
      return { kind: "unchanged" };
    }
    // Validated even when it repeats the version held: a broken body is reported, never silently taken
    // for the rules already served. (Rare: a 304 or the stream's Last-Event-ID usually spare the download.)
    let loaded: ReturnType<typeof loadRuleset>;
    try {
      loaded = loadRuleset(input, trusted);
    } catch (error) {
      return { kind: "rejected", error: asRulesetError(error) };
    }
    const before = this.ruleset;
    const nextEtag = etag ?? this.etagFor(loaded.ruleset);
    if (before?.version === loaded.ruleset.version && before.environment === loaded.ruleset.environment) {
      this.etag = nextEtag ?? this.etag;
      this.source = source;
      return { kind: "unchanged" };
    }
    this.install(loaded.ruleset, loaded.compiled, source);
    this.etag = nextEtag;
    return {
      kind: "applied",
      version: loaded.ruleset.version,
      changed: changedBetween(before, loaded.ruleset),
      first: !before,
    };
  }

  /** A delta from the stream. */
  patch(input: unknown): UpdateOutcome {
    const delta = input as Partial<RulesetDelta> | null;
    if (
      typeof delta !== "object" ||
      delta === null ||
      typeof delta.fromVersion !== "number" ||
      typeof delta.version !== "number"
    ) {
      return {
        kind: "rejected",
        error: new InvalidRulesetError("invalid delta: `fromVersion` and `version` must be numbers"),
      };
    }
    const current = this.ruleset;
    if (!current) return { kind: "refetch", reason: "no ruleset held yet" };
    if (delta.environment !== undefined && delta.environment !== current.environment) {
      return { kind: "refetch", reason: `delta is for environment '${delta.environment}'` };
    }
    if (delta.version === current.version) return { kind: "unchanged" };
    if (delta.fromVersion !== current.version) {
      return {
        kind: "refetch",
        reason: `delta starts at version ${delta.fromVersion}, holding ${current.version}`,
      };
    }
    let loaded: ReturnType<typeof patchRuleset>;
    try {
      loaded = patchRuleset(current, delta as RulesetDelta);
    } catch (error) {
      return { kind: "rejected", error: asRulesetError(error) };
    }
    if (!loaded) return { kind: "refetch", reason: "delta does not apply to the ruleset held" };
    this.etag = this.etagFor(loaded.ruleset);
    this.install(loaded.ruleset, loaded.compiled, "server");
    return {
      kind: "applied",
      version: loaded.ruleset.version,
      changed: changedByDelta(delta as RulesetDelta, loaded.ruleset),
      first: false,
    };
  }

  /**
   * The ETag of `next` when it can be told from the one held without a download: the server's tags name
   * the environment and version (`"s-production-42"`, server/src/rulesets/publish.ts), so only the version
   * changes. A tag of another shape (a proxy's, another server's) is not guessed at: undefined.
   */
  private etagFor(next: Ruleset): string | undefined {
    const held = this.ruleset;
    if (!held || !this.etag || held.environment !== next.environment) return undefined;
    const suffix = `-${held.environment}-${held.version}"`;
    if (!this.etag.endsWith(suffix)) return undefined;
    return `${this.etag.slice(0, -suffix.length)}-${next.environment}-${next.version}"`;
  }

  private install(ruleset: Ruleset, compiled: CompiledRuleset, source: RulesetSource): void {
    this.ruleset = ruleset;
    this.compiled = compiled;
    this.source = source;
    this.appliedAt = this.now();
  }
}

function asRulesetError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new InvalidRulesetError(String(error));
}
