/**
 * @module Switchyard as an OpenFeature server provider (`@openfeature/server-sdk`). Evaluation stays local:
 * the provider wraps a {@link SwitchyardClient} and maps its decisions and events to OpenFeature's.
 */
import {
  type EvaluationContext,
  type FlagMetadata,
  type JsonValue,
  type ErrorCode as OpenFeatureErrorCode,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from "@openfeature/server-sdk";
import type { Decision, EvaluationContext as SwitchyardContext } from "@switchyard/core";
import type { ClientOptions } from "../client/options.js";
import { createClient, type SwitchyardClient } from "../client/switchyard-client.js";
import { messageOf } from "../evaluation/thrown.js";

export interface SwitchyardProviderOptions {
  /** `initialize()` rejects (status ERROR) if no ruleset is loaded within this many ms. Default: wait. */
  readyTimeoutMs?: number;
}

/**
 * @example
 * await OpenFeature.setProviderAndWait(new SwitchyardProvider({ url, sdkKey }));
 * const on = await OpenFeature.getClient().getBooleanValue("new-checkout", false, { targetingKey: user.id });
 */
export class SwitchyardProvider implements Provider {
  readonly metadata = { name: "switchyard" } as const;
  readonly runsOn = "server" as const;
  readonly events = new OpenFeatureEventEmitter();
  /** The Switchyard client behind the provider (for `flush()`, its own events, or direct evaluation). */
  readonly client: SwitchyardClient;
  private readonly ownsClient: boolean;
  private unsubscribe: (() => void)[] = [];
  private staleSent = false;

  /** Pass client options (the provider then owns and closes the client) or a client you manage yourself. */
  constructor(
    clientOrOptions: SwitchyardClient | ClientOptions,
    private readonly options: SwitchyardProviderOptions = {},
  ) {
    this.ownsClient = !isClient(clientOrOptions);
    this.client = isClient(clientOrOptions) ? clientOrOptions : createClient(clientOrOptions);
  }

  async initialize(): Promise<void> {
    this.listen();
    await this.client.ready({ timeout: this.options.readyTimeoutMs });
    if (this.client.status === "stale") {
      // The SDK marks us READY when this resolves; tell it right after that we serve possibly old rules.
      setImmediate(() => {
        if (this.client.status === "stale" && !this.staleSent)
          this.sendStale("server unreachable at start-up");
      });
    }
  }

  async onClose(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
    if (this.ownsClient) await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext) {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context, "boolean"));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext) {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context, "string"));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext) {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context, "number"));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext) {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context, "object"));
  }

  private resolve<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    type: "boolean" | "string" | "number" | "object",
  ): ResolutionDetails<T> {
    let switchyardContext: SwitchyardContext;
    try {
      switchyardContext = withIsoDates(context) as SwitchyardContext;
    } catch (error) {
      // A hostile context (a throwing getter, a Proxy): the default, like the client's own guard gives.
      return {
        value: defaultValue,
        reason: "ERROR",
        errorCode: "INVALID_CONTEXT" as OpenFeatureErrorCode,
        errorMessage: `cannot read the evaluation context: ${messageOf(error)}`,
      };
    }
    const decision = this.client.detail(flagKey, switchyardContext, defaultValue as never) as Decision;
    if (decision.errorCode !== undefined) {
      return {
        value: defaultValue,
        reason: "ERROR",
        errorCode: decision.errorCode as OpenFeatureErrorCode,
        errorMessage: decision.errorMessage,
      };
    }
    if (type === "object" && (typeof decision.value !== "object" || decision.value === null)) {
      return {
        value: defaultValue,
        reason: "ERROR",
        errorCode: "TYPE_MISMATCH" as OpenFeatureErrorCode,
        errorMessage: `flag '${flagKey}' does not serve an object`,
      };
    }
    return {
      value: decision.value as T,
      variant: decision.variant,
      reason: decision.reason,
      flagMetadata: metadataOf(decision, this.client.version),
    };
  }

  private listen(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.client.on("change", ({ flags, version }) =>
        this.events.emit(ProviderEvents.ConfigurationChanged, {
          flagsChanged: flags,
          message: `ruleset version ${version}`,
        }),
      ),
      this.client.on("stale", (error) => this.sendStale(error.message)),
      this.client.on("ready", () => {
        if (!this.staleSent) return;
        this.staleSent = false;
        this.events.emit(ProviderEvents.Ready, { message: "server reachable again" });
      }),
    ];
  }

  private sendStale(message: string): void {
    this.staleSent = true;
    this.events.emit(ProviderEvents.Stale, { message });
  }
}

function isClient(value: SwitchyardClient | ClientOptions): value is SwitchyardClient {
  return typeof (value as SwitchyardClient).detail === "function";
}

function metadataOf(decision: Decision, version: number | undefined): FlagMetadata {
  const metadata: FlagMetadata = {};
  if (version !== undefined) metadata.rulesetVersion = version;
  if (decision.ruleId !== undefined) metadata.ruleId = decision.ruleId;
  if (decision.ruleIndex !== undefined) metadata.ruleIndex = decision.ruleIndex;
  if (decision.targetMatch) metadata.targetMatch = true;
  return metadata;
}

/**
 * OpenFeature contexts may hold `Date`s, at the top or nested in objects and arrays; the wire format speaks
 * ISO strings (an invalid Date becomes undefined: no such attribute). Copies only what holds a Date, and
 * each object once, so a circular context ends. Throws if the context's own getters or traps do.
 */
function withIsoDates(value: unknown, done = new Map<object, unknown>()): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== "object" || value === null) return value;
  if (done.has(value)) return done.get(value);
  done.set(value, value); // while in progress: a cycle back to it keeps the original
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const key of Object.keys(value)) {
    const original = (value as Record<string, unknown>)[key];
    const converted = withIsoDates(original, done);
    if (converted === original) continue;
    copy ??= Array.isArray(value) ? value.slice() : { ...value };
    (copy as Record<string, unknown>)[key] = converted;
  }
  done.set(value, copy ?? value);
  return copy ?? value;
}
