/**
 * @module The Switchyard Node client: synchronous, in-process flag evaluation over a ruleset kept current in
 * the background. Evaluation never throws and never touches the network.
 */
import {
  type Decision,
  type EvaluationContext,
  type FlagKind,
  type JsonValue,
  type ShadowRule,
  shouldShadow,
} from "@switchyard/core";
import { evaluateFlag } from "../evaluation/engine.js";
import { messageOf } from "../evaluation/thrown.js";
import { EvaluationCounter } from "../reports/evaluation-counter.js";
import { ClientEmitter, type ClientEventName, type ClientEvents } from "./events.js";
import type { ResolvedOptions } from "./options.js";
import { RulesetHolder } from "./ruleset-holder.js";

export type ClientStatus = "not-ready" | "ready" | "stale" | "closed";

/**
 * Evaluation and events. The network side (sync, reports, persistence) lives in `SwitchyardClient`, which extends
 * this class; keeping them apart keeps the hot path readable.
 */
export class FlagEvaluator {
  protected readonly holder = new RulesetHolder();
  protected readonly counter: EvaluationCounter;
  protected readonly emitter: ClientEmitter;
  protected readonly countEvaluations: boolean;
  protected currentStatus: ClientStatus = "not-ready";

  constructor(protected readonly options: ResolvedOptions) {
    this.counter = new EvaluationCounter(options.maxMetricsKeys);
    this.countEvaluations = options.sendMetrics;
    this.emitter = new ClientEmitter((error) => options.logger.error("an event listener threw", error));
  }

  get status(): ClientStatus {
    return this.currentStatus;
  }

  /** Version of the ruleset being served, if any. */
  get version(): number | undefined {
    return this.holder.version;
  }

  boolean(flagKey: string, context: EvaluationContext | undefined, defaultValue: boolean): boolean {
    return this.resolve(flagKey, context, defaultValue, "boolean").value as boolean;
  }

  string(flagKey: string, context: EvaluationContext | undefined, defaultValue: string): string {
    return this.resolve(flagKey, context, defaultValue, "string").value as string;
  }

  number(flagKey: string, context: EvaluationContext | undefined, defaultValue: number): number {
    return this.resolve(flagKey, context, defaultValue, "number").value as number;
  }

  /** A json flag's value (any JSON: object, array, …). */
  json<T extends JsonValue>(flagKey: string, context: EvaluationContext | undefined, defaultValue: T): T {
    return this.resolve(flagKey, context, defaultValue, "json").value as T;
  }

  /**
   * The full decision: value, variant, reason (and errorCode when the default was served). The flag's kind
   * is checked against the default's type; a `null` default accepts any kind.
   */
  detail<T extends JsonValue>(
    flagKey: string,
    context: EvaluationContext | undefined,
    defaultValue: T,
  ): Decision<T> {
    return this.resolve(flagKey, context, defaultValue, undefined) as Decision<T>;
  }

  /** The flag's shadow rule in the ruleset being served, if it has one. */
  shadowRule(flagKey: string): ShadowRule | undefined {
    return this.holder.compiled?.flags.get(flagKey)?.source.shadow ?? undefined;
  }

  /** Whether the flag's shadow rule samples this call (`draw`: uniform 0..99,999 for per-call sampling). */
  isShadowed(flagKey: string, context: EvaluationContext | undefined, draw: number): boolean {
    const compiled = this.holder.compiled;
    return compiled !== undefined && shouldShadow(compiled, flagKey, context ?? {}, draw);
  }

  on<E extends ClientEventName>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  protected resolve(
    flagKey: string,
    context: EvaluationContext | undefined,
    defaultValue: JsonValue,
    kind: FlagKind | undefined,
  ): Decision {
    // Not counted either: a key that is no string would poison the metrics report.
    if (typeof flagKey !== "string") return notAKey(flagKey, defaultValue);
    try {
      const compiled = this.holder.compiled;
      if (compiled === undefined) return notReady(flagKey, defaultValue, this.currentStatus);
      // The evaluator checks the flag's kind and guards the context; it never throws.
      const decision = evaluateFlag(compiled, flagKey, context, defaultValue, kind);
      if (this.countEvaluations) this.counter.count(flagKey, decision.variant);
      return decision;
    } catch (error) {
      // Only reachable through a hostile context (a Proxy whose traps throw, even inside the evaluator's
      // own guard): still the default, and nothing here may throw again.
      return {
        value: defaultValue,
        reason: "ERROR",
        errorCode: "GENERAL",
        errorMessage: `evaluating '${flagKey}' failed: ${messageOf(error)}`,
      };
    }
  }
}

function notReady(flagKey: string, defaultValue: JsonValue, status: ClientStatus): Decision {
  return {
    value: defaultValue,
    reason: "ERROR",
    errorCode: "PROVIDER_NOT_READY",
    errorMessage: `no ruleset loaded yet (client ${status}); served the default for '${flagKey}'`,
  };
}

function notAKey(flagKey: unknown, defaultValue: JsonValue): Decision {
  return {
    value: defaultValue,
    reason: "ERROR",
    errorCode: "FLAG_NOT_FOUND",
    errorMessage: `a flag key must be a string, got ${typeof flagKey}`,
  };
}
