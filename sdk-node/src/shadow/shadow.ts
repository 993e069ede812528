/**
 * @module Shadow traffic: run the new code beside the old for a sampled share of calls, compare, and never
 * let the shadow path reach the caller — not its result, not its exception, not its slowness.
 *
 * The caller awaits only the primary path (the old code, unless the flag serves the candidate variation to
 * this user). The other path starts at the same time, gets `{ shadow: true, signal }` and must not change
 * what users see (read paths, or writes to a shadow store); it is bounded by the rule's timeout (the
 * signal aborts then) and by a cap on concurrent shadow runs per flag — samples beyond the cap are skipped
 * and counted, so a slow or hungry candidate cannot starve the host. Synchronous CPU work is not bounded by
 * anything here: it blocks the event loop until it yields (see README.md: use a worker thread for it).
 */
import type { Decision, EvaluationContext, JsonValue, ShadowRule } from "@switchyard/core";
import { deepEqual } from "./equal.js";
import { type Deadline, type Outcome, type RunHost, ShadowRun } from "./shadow-run.js";
import { ShadowStats } from "./stats.js";

export interface ShadowMarker {
  /** True when this run is the shadow: its result is compared and dropped. */
  shadow: boolean;
  /** Aborted when the shadow run passes its timeout. Never aborted for the primary run. */
  signal: AbortSignal;
}

export interface ShadowCall<T> {
  control: (marker: ShadowMarker) => T | Promise<T>;
  candidate: (marker: ShadowMarker) => T | Promise<T>;
  /**
   * Whether the two results agree; default structural equality. It may be async (e.g. to read response
   * bodies). A throwing or rejecting compare counts as a candidate error.
   */
  compare?: (control: T, candidate: T) => boolean | Promise<boolean>;
  /**
   * Called synchronously when this call is sampled, before either path starts: the place to copy what
   * both paths need but only one may consume (an HTTP request's body, for instance).
   */
  beforeShadow?: () => void;
  /** What a mismatch sample keeps of a result (default: the result itself), before `redact`. */
  describe?: (value: T) => unknown;
  /** Overrides the rule's timeout for the shadow run, in milliseconds. */
  timeoutMs?: number;
}

/** What the runner needs from the client. */
export interface ShadowHost {
  detail(flagKey: string, context: EvaluationContext | undefined, defaultValue: null): Decision;
  shadowRule(flagKey: string): ShadowRule | undefined;
  /** Whether the flag's shadow rule samples this call; `draw` is a uniform 0..99,999 for per-call sampling. */
  isShadowed(flagKey: string, context: EvaluationContext | undefined, draw: number): boolean;
}

export interface ShadowRunnerOptions {
  /** Concurrent shadow runs per flag before samples are skipped (default 10). */
  maxConcurrentPerFlag?: number;
  /**
   * Bound on a shadow run when the flag's rule gives none (or no usable one), so a hanging candidate
   * cannot hold its bulkhead slot forever; milliseconds (default 1,000).
   */
  defaultTimeoutMs?: number;
  /** Applied to both results before a mismatch sample is kept (strip personal data here). */
  redact?: (value: unknown) => JsonValue;
  maxSamplesPerFlag?: number;
  /** Clock for latencies and timeouts, in milliseconds (default `performance.now`); injectable for tests. */
  now?: () => number;
}

export const DEFAULT_SHADOW_TIMEOUT_MS = 1_000;

const PRIMARY: ShadowMarker = { shadow: false, signal: new AbortController().signal };

/** How often deadlines are checked: a timeout holds to within this many milliseconds. */
const SWEEP_MS = 5;

export class ShadowRunner implements RunHost {
  readonly stats: ShadowStats;
  readonly now: () => number;
  private readonly running = new Map<string, number>();
  private readonly maxConcurrent: number;
  private readonly redact: (value: unknown) => JsonValue;
  /** Seeded per runner, so processes do not all sample the same calls in the same order. */
  private seed = randomSeed();
  private readonly defaultTimeoutMs: number;
  private readonly deadlines = new Set<Deadline>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: ShadowRunnerOptions = {}) {
    this.maxConcurrent = options.maxConcurrentPerFlag ?? 10;
    this.redact = options.redact ?? ((v) => (v === undefined ? null : (v as JsonValue)));
    this.now = options.now ?? (() => performance.now());
    this.defaultTimeoutMs = usableTimeout(options.defaultTimeoutMs) ?? DEFAULT_SHADOW_TIMEOUT_MS;
    this.stats = new ShadowStats(1000, options.maxSamplesPerFlag ?? 10);
  }

  /** xorshift32: a cheap uniform draw for per-call sampling (core reads no randomness itself). */
  private draw(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed % 100_000;
  }

  /** Not async on purpose: a call that is not shadowed costs the primary's own promise and no other. */
  run<T>(
    host: ShadowHost,
    flagKey: string,
    context: EvaluationContext | undefined,
    call: ShadowCall<T>,
  ): Promise<T> {
    const stats = this.stats.for(flagKey);
    if (stats) stats.calls++;
    const rule = host.shadowRule(flagKey);
    const candidateServed =
      rule?.candidateVariation !== undefined &&
      host.detail(flagKey, context, null).variant === rule.candidateVariation;
    const primary = candidateServed ? call.candidate : call.control;
    if (
      !rule ||
      !stats ||
      (candidateServed && !rule.swapRoles) ||
      !host.isShadowed(flagKey, context, this.draw())
    ) {
      return callPrimary(primary);
    }
    const running = this.running.get(flagKey) ?? 0;
    if (running >= this.maxConcurrent) {
      stats.skipped++;
      return callPrimary(primary);
    }
    stats.shadowed++;
    this.running.set(flagKey, running + 1);
    try {
      call.beforeShadow?.();
    } catch {
      this.release(flagKey);
      stats.candidateErrors++;
      return callPrimary(primary);
    }
    return this.runBeside(flagKey, rule, call, candidateServed);
  }

  /** A sampled call: the primary for the caller, the other path as the shadow, then their comparison. */
  private async runBeside<T>(
    flagKey: string,
    rule: ShadowRule,
    call: ShadowCall<T>,
    candidateServed: boolean,
  ): Promise<T> {
    const timeoutMs = usableTimeout(call.timeoutMs) ?? usableTimeout(rule.timeoutMs) ?? this.defaultTimeoutMs;
    const shadow = ShadowRun.start(this, flagKey, candidateServed ? call.control : call.candidate, timeoutMs);
    const started = this.now();
    // The primary's own exception reaches the caller; the shadow run still ends and frees its slot.
    const result = await (candidateServed ? call.candidate : call.control)(PRIMARY);
    const primaryMs = this.now() - started;
    shadow.whenDone((outcome) => this.record(flagKey, call, candidateServed, result, primaryMs, outcome));
    return result;
  }

  release(flagKey: string): void {
    const n = (this.running.get(flagKey) ?? 1) - 1;
    if (n <= 0) this.running.delete(flagKey);
    else this.running.set(flagKey, n);
  }

  /** A run started: its deadline joins the sweep. One timer serves every deadline. */
  track(run: Deadline): void {
    this.deadlines.add(run);
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = this.now();
      for (const d of this.deadlines) if (d.at <= now) d.expire();
      if (this.deadlines.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, SWEEP_MS);
    this.sweeper.unref?.();
  }

  untrack(run: Deadline): void {
    this.deadlines.delete(run);
  }

  private record<T>(
    flagKey: string,
    call: ShadowCall<T>,
    candidateServed: boolean,
    primary: T,
    primaryMs: number,
    outcome: Outcome<T>,
  ): void {
    const stats = this.stats.for(flagKey);
    if (!stats) return;
    ShadowStats.observe(candidateServed ? stats.candidateLatency : stats.controlLatency, primaryMs);
    ShadowStats.observe(candidateServed ? stats.controlLatency : stats.candidateLatency, outcome.ms);
    if (outcome.kind === "timeout") {
      stats.timeouts++;
      return;
    }
    if (outcome.kind === "error") {
      if (candidateServed) stats.controlErrors++;
      else stats.candidateErrors++;
      return;
    }
    const control = candidateServed ? outcome.value : primary;
    const candidate = candidateServed ? primary : outcome.value;
    let same: boolean | Promise<boolean>;
    try {
      same = (call.compare ?? deepEqual)(control, candidate);
    } catch {
      stats.candidateErrors++;
      return;
    }
    if (typeof same === "boolean") this.tally(flagKey, same, call, control, candidate);
    else
      same.then(
        (s) => this.tally(flagKey, s === true, call, control, candidate),
        () => {
          // Looked up again: the statistics may have been taken for a report meanwhile.
          const current = this.stats.for(flagKey);
          if (current) current.candidateErrors++;
        },
      );
  }

  private tally<T>(flagKey: string, same: boolean, call: ShadowCall<T>, control: T, candidate: T): void {
    const stats = this.stats.for(flagKey);
    if (!stats) return;
    if (same) {
      stats.matches++;
      return;
    }
    stats.mismatches++;
    try {
      const describe = call.describe ?? ((v: T): unknown => v);
      this.stats.sample(stats, this.redact(describe(control)), this.redact(describe(candidate)));
    } catch {
      // A throwing describe or redact hook drops the sample, never the count.
    }
  }
}

/** The primary's result as a promise, its synchronous exception as a rejection. */
function callPrimary<T>(fn: (marker: ShadowMarker) => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn(PRIMARY));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A timeout the runner can use: a positive, finite number of milliseconds; otherwise undefined. */
function usableTimeout(ms: unknown): number | undefined {
  return typeof ms === "number" && ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** A non-zero 32-bit seed for xorshift32. */
function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] || 0x9e3779b9;
}
