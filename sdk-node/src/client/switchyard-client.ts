import type { EvaluationContext } from "@switchyard/core";
/**
 * @module The client's life: start from local rules (bootstrap or persisted), sync with the server, report
 * evaluations and acknowledgements, and close cleanly.
 */
import { ownerFingerprint, RulesetPersister } from "../cache/ruleset-file.js";
import { AckQueue } from "../reports/ack-queue.js";
import { MetricsReporter } from "../reports/metrics-reporter.js";
import { ShadowReporter } from "../reports/shadow-reporter.js";
import { type ShadowCall, ShadowRunner } from "../shadow/shadow.js";
import type { FlagShadowStats } from "../shadow/stats.js";
import type { HttpConfig } from "../transport/http.js";
import { Synchronizer, type SyncTarget } from "../transport/synchronizer.js";
import { FlagEvaluator } from "./client.js";
import type { RulesetSource } from "./events.js";
import { localRulesets } from "./local-ruleset.js";
import { type ClientOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import type { UpdateOutcome } from "./ruleset-holder.js";

export interface ReadyOptions {
  /** Reject if no ruleset is loaded within this many ms. */
  timeout?: number;
}

/** Upper bound for the last flush of reports when closing. */
const CLOSE_FLUSH_MS = 3_000;

export class SwitchyardClient extends FlagEvaluator {
  private readonly sync: Synchronizer;
  private readonly metrics: MetricsReporter;
  private readonly shadowReports: ShadowReporter;
  private readonly acks: AckQueue;
  private readonly persister: RulesetPersister | undefined;
  /** undefined until the first contact attempt ends. */
  private connected: boolean | undefined;
  private ackedVersion: number | undefined;
  private readonly waiting = new Set<{ resolve: () => void; reject: (e: Error) => void }>();
  private closing: Promise<void> | undefined;
  private shadowRunner: ShadowRunner | undefined;
  /** Why the bootstrap or persisted rules could not be used, if they could not. */
  private readonly localProblems: string[] = [];

  /**
   * Runs `control` (or `candidate`, when the flag serves its candidate variation to this user) and returns
   * its result; when the flag's shadow rule samples this call the other path runs beside it, invisibly,
   * and the two are compared. See `src/shadow/README.md`.
   *
   * @example
   * const price = await client.shadow("pricing-v2", { targetingKey: user.id }, {
   *   control: () => oldPrice(cart),
   *   candidate: ({ signal }) => newPrice(cart, { signal }),
   * });
   */
  shadow<T>(flagKey: string, context: EvaluationContext | undefined, call: ShadowCall<T>): Promise<T> {
    this.shadowRunner ??= new ShadowRunner(this.options.shadow);
    return this.shadowRunner.run(this, flagKey, context, call);
  }

  /** Shadow statistics gathered since the last call (per flag), and a fresh start. */
  takeShadowStats(): Record<string, FlagShadowStats> {
    return this.shadowRunner?.stats.take() ?? {};
  }

  constructor(options: ClientOptions) {
    const resolved = resolveOptions(options);
    super(resolved);
    const http: HttpConfig = {
      baseUrl: resolved.baseUrl,
      sdkKey: resolved.sdkKey,
      instanceId: resolved.instanceId,
      fetch: resolved.fetch,
      requestTimeoutMs: resolved.requestTimeoutMs,
    };
    const reportError = (what: string) => (error: Error) =>
      this.options.logger[this.connected === false ? "debug" : "warn"](`${what} failed: ${error.message}`);
    this.metrics = new MetricsReporter(http, this.counter, {
      flushIntervalMs: resolved.flushIntervalMs,
      onError: reportError("sending evaluation metrics"),
    });
    this.shadowReports = new ShadowReporter(
      http,
      {
        take: () =>
          this.shadowRunner?.stats.isEmpty === false ? this.shadowRunner.stats.takeWindow() : undefined,
        restore: (window) => this.shadowRunner?.stats.restore(window),
      },
      { flushIntervalMs: resolved.flushIntervalMs, onError: reportError("sending shadow statistics") },
    );
    this.acks = new AckQueue(http, {
      delayMs: resolved.ackDelayMs,
      maxPending: 100,
      onError: reportError("sending acks"),
    });
    this.persister = resolved.persistPath
      ? new RulesetPersister(
          resolved.persistPath,
          ownerFingerprint(resolved.baseUrl, resolved.sdkKey),
          (error) => this.fail(error),
        )
      : undefined;
    this.sync = new Synchronizer(
      http,
      {
        streaming: resolved.streaming,
        pollIntervalMs: resolved.pollIntervalMs,
        reconnectMinMs: resolved.reconnectMinMs,
        reconnectMaxMs: resolved.reconnectMaxMs,
        streamIdleTimeoutMs: resolved.streamIdleTimeoutMs,
        maxMessageChars: resolved.maxMessageBytes,
      },
      this.syncTarget(),
    );

    this.startFromLocalRules(resolved);
    if (resolved.offline) return;
    // Network start-up (fetch's first use is costly) waits one turn of the event loop, so createClient()
    // returns at once and local rules serve from the first line after it.
    setImmediate(() => {
      if (this.currentStatus === "closed") return;
      if (resolved.sendMetrics) this.metrics.start();
      this.shadowReports.start();
      this.sync.start();
    });
  }

  /**
   * Resolves once a ruleset is loaded (from the server, a bootstrap or the persisted copy). Rejects after
   * `timeout`, when the client closes first, and at once for an offline client without usable local rules
   * (none will ever come).
   */
  ready(options: ReadyOptions = {}): Promise<void> {
    if (this.holder.compiled) return Promise.resolve();
    if (this.currentStatus === "closed") return Promise.reject(new Error("client is closed"));
    if (this.options.offline) {
      const why = this.localProblems.length > 0 ? this.localProblems.join("; ") : "none was given";
      return Promise.reject(
        new Error(`offline client has no ruleset (bootstrap or persisted) to serve: ${why}`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiting.add(waiter);
      if (options.timeout !== undefined) {
        timer = setTimeout(() => {
          this.waiting.delete(waiter);
          reject(new Error(`no ruleset within ${options.timeout} ms (server ${this.options.baseUrl})`));
        }, options.timeout);
      }
    });
  }

  /** Sends pending evaluation counts, shadow statistics and acks now. */
  async flush(): Promise<void> {
    if (this.options.offline) return;
    await Promise.all([this.metrics.flush(), this.shadowReports.flush(), this.acks.send()]);
  }

  /** Stops syncing, sends what is pending, finishes the persisted copy. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.currentStatus = "closed";
    for (const waiter of this.waiting) waiter.reject(new Error("client closed before a ruleset was loaded"));
    this.waiting.clear();
    await this.sync.stop();
    if (this.options.offline) return this.emitter.clear();
    const deadline = AbortSignal.timeout(Math.min(CLOSE_FLUSH_MS, this.options.requestTimeoutMs));
    await Promise.all([
      this.metrics.close(deadline),
      this.shadowReports.close(deadline),
      this.acks.close(deadline),
      this.persister?.flush(),
    ]);
    this.emitter.clear();
  }

  private startFromLocalRules(options: ResolvedOptions): void {
    // Errors are deferred like the ready event, so listeners attached after createClient() see them.
    const report = (error: Error) => {
      this.localProblems.push(error.message);
      queueMicrotask(() => this.fail(error));
    };
    for (const local of localRulesets(options, report)) {
      const outcome = this.holder.replace(local.ruleset, local.etag, local.source, true, local.trusted);
      if (outcome.kind === "applied") {
        this.afterUpdate(outcome, local.source);
        return;
      }
      if (outcome.kind === "rejected")
        report(new Error(`${local.source} ruleset rejected: ${outcome.error.message}`));
    }
  }

  private syncTarget(): SyncTarget {
    return {
      version: () => this.holder.version,
      etag: () => this.holder.etag,
      acceptRuleset: (body, etag, heldWhenAsked) =>
        this.onUpdate(
          this.holder.replace(
            body,
            etag,
            "server",
            heldWhenAsked === undefined || heldWhenAsked === (this.holder.version ?? -1),
          ),
        ),
      notModified: () => {
        this.holder.confirm();
        this.onUpdate({ kind: "unchanged" });
      },
      acceptDelta: (body) => {
        const outcome = this.holder.patch(body);
        if (outcome.kind === "refetch") {
          this.options.logger.debug(`refetching the full ruleset: ${outcome.reason}`);
          return "refetch";
        }
        this.onUpdate(outcome);
        return outcome.kind === "applied" ? "applied" : "ignored";
      },
      connectionUp: () => this.onConnection(true),
      connectionDown: (error) => this.onConnection(false, error),
      reportError: (error) => this.fail(error),
      debug: (message) => this.options.logger.debug(message),
    };
  }

  private onUpdate(outcome: UpdateOutcome): void {
    if (this.currentStatus === "closed") return;
    if (outcome.kind === "rejected") {
      this.fail(
        new Error(`kept ruleset version ${this.holder.version ?? "(none)"}: ${outcome.error.message}`),
      );
      return;
    }
    if (outcome.kind === "applied") {
      this.afterUpdate(outcome, "server");
      if (this.holder.ruleset) this.persister?.save({ ruleset: this.holder.ruleset, etag: this.holder.etag });
    }
    this.acknowledge();
  }

  private afterUpdate(outcome: Extract<UpdateOutcome, { kind: "applied" }>, source: RulesetSource): void {
    if (this.currentStatus === "not-ready") {
      this.currentStatus = this.connected === false ? "stale" : "ready";
      for (const waiter of this.waiting) waiter.resolve();
      this.waiting.clear();
      // Deferred so that listeners attached right after createClient() see a ready from local rules.
      const version = outcome.version;
      queueMicrotask(() => this.emitter.emit("ready", { version, source }));
      return;
    }
    this.emitter.emit("change", { flags: outcome.changed, version: outcome.version });
  }

  private acknowledge(): void {
    const version = this.holder.version;
    if (version === undefined || version === this.ackedVersion || this.holder.source !== "server") return;
    this.ackedVersion = version;
    this.acks.add(version, this.holder.appliedAt);
  }

  private onConnection(up: boolean, error?: Error): void {
    if (this.currentStatus === "closed" || this.connected === up) return;
    this.connected = up;
    if (up) {
      this.options.logger.debug(`connected to ${this.options.baseUrl}`);
      if (this.currentStatus === "stale") {
        this.currentStatus = "ready";
        this.emitter.emit("ready", { version: this.holder.version!, source: this.holder.source! });
      }
      return;
    }
    const reason = error ?? new Error("server unreachable");
    this.options.logger.warn(
      `cannot reach ${this.options.baseUrl}: ${reason.message}; serving the last good rules`,
    );
    this.emitter.emit("error", reason);
    if (this.currentStatus === "ready") {
      this.currentStatus = "stale";
      this.emitter.emit("stale", reason);
    }
  }

  private fail(error: Error): void {
    this.options.logger.warn(error.message);
    this.emitter.emit("error", error);
  }
}

/**
 * Creates a client and starts it in the background. Evaluations answer at once: with the bootstrap or
 * persisted rules when given, otherwise with the caller's default until the first ruleset arrives.
 * @example
 * const flags = createClient({ url: "http://localhost:4000", sdkKey: process.env.SWITCHYARD_KEY! });
 * await flags.ready({ timeout: 2_000 });
 * if (flags.boolean("new-checkout", { targetingKey: user.id }, false)) newCheckout();
 */
export function createClient(options: ClientOptions): SwitchyardClient {
  return new SwitchyardClient(options);
}
