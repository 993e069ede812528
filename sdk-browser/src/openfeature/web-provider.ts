/**
 * @module `SwitchyardWebProvider`: the browser client behind `@openfeature/web-sdk` (static-context
 * paradigm). Resolvers are synchronous from the page's state; rule changes surface as
 * `PROVIDER_CONFIGURATION_CHANGED` with `flagsChanged`, connection loss as `PROVIDER_STALE`.
 *
 * @example
 * await OpenFeature.setProviderAndWait(new SwitchyardWebProvider({ url, clientKey }), { targetingKey: "u-1" });
 * OpenFeature.getClient().getBooleanValue("new-checkout", false);
 */
import {
  type EvaluationContext,
  GeneralError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from "@openfeature/web-sdk";
import { createBrowserClient } from "../client/create-client.js";
import type { BrowserClient, BrowserClientOptions } from "../client/types.js";

export class SwitchyardWebProvider implements Provider {
  readonly metadata = { name: "switchyard-web" } as const;
  readonly runsOn = "client" as const;
  readonly events = new OpenFeatureEventEmitter();
  private client?: BrowserClient;
  private unsubscribe: (() => void)[] = [];
  /** Changes caused by a context switch are the SDK's `PROVIDER_CONTEXT_CHANGED`, not configuration changes. */
  private reconciling = false;

  /** Pass a client you created (and own), or options: the provider then creates the client with the context. */
  constructor(private readonly source: BrowserClient | BrowserClientOptions) {}

  async initialize(context: EvaluationContext = {}): Promise<void> {
    const given = "getDetail" in this.source;
    const client = given
      ? (this.source as BrowserClient)
      : createBrowserClient({ ...(this.source as BrowserClientOptions), context: context as never });
    this.client = client;
    if (given && Object.keys(context).length) await client.setContext(context as never);
    this.unsubscribe.push(
      client.subscribe((flagsChanged) => {
        if (!this.reconciling) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
      }),
      client.onStatus((status) => {
        if (status === "ready") this.events.emit(ProviderEvents.Ready);
        else if (status === "stale") this.events.emit(ProviderEvents.Stale, { message: "connection lost" });
        else this.events.emit(ProviderEvents.Error, { message: "flags could not be loaded" });
      }),
    );
    if (!(await client.ready())) throw new GeneralError("Switchyard: flags could not be loaded");
  }

  async onContextChange(_old: EvaluationContext, next: EvaluationContext): Promise<void> {
    this.reconciling = true;
    try {
      await this.client?.setContext(next as never);
    } finally {
      this.reconciling = false;
    }
  }

  async onClose(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    if (!("getDetail" in this.source)) this.client?.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean> {
    return this.resolve(flagKey, defaultValue);
  }
  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    return this.resolve(flagKey, defaultValue);
  }
  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return this.resolve(flagKey, defaultValue);
  }
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return this.resolve(flagKey, defaultValue);
  }

  private resolve<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    if (!this.client)
      return { value: defaultValue, reason: "ERROR", errorCode: "PROVIDER_NOT_READY" as never };
    const d = this.client.getDetail(flagKey, defaultValue as never);
    return {
      value: d.value as T,
      variant: d.variant,
      reason: d.reason,
      errorCode: d.errorCode as never,
      errorMessage: d.errorMessage,
    };
  }
}
