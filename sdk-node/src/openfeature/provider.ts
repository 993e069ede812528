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
    const decision = this.client.detail(
      flagKey,
      toSwitchyardContext(context),
      defaultValue as never,
    ) as Decision;
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

/** OpenFeature contexts may hold `Date`s; the wire format speaks ISO strings. */
function toSwitchyardContext(context: EvaluationContext): SwitchyardContext {
  for (const key in context) {
    if (context[key] instanceof Date) {
      const copy: Record<string, unknown> = {};
      for (const k in context) {
        const value = context[k];
        copy[k] = value instanceof Date ? value.toISOString() : value;
      }
      return copy as SwitchyardContext;
    }
  }
  return context as SwitchyardContext;
}
