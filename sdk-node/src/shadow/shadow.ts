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

const later: (fn: () => void) => void =
  typeof setImmediate === "function" ? setImmediate : (fn) => setTimeout(fn, 0);

const PRIMARY: ShadowMarker = { shadow: false, signal: new AbortController().signal };

/** How often deadlines are checked: a timeout holds to within this many milliseconds. */
const SWEEP_MS = 5;

type Outcome<T> =
  | { kind: "ok"; value: T; ms: number }
  | { kind: "error"; ms: number }
  | { kind: "timeout"; ms: number };

export class ShadowRunner {
  readonly stats: ShadowStats;
  private readonly running = new Map<string, number>();
  private readonly maxConcurrent: number;
  private readonly redact: (value: unknown) => JsonValue;
  private readonly now: () => number;
  /** Seeded per runner, so processes do not all sample the same calls in the same order. */
  private seed = randomSeed();
  private readonly defaultTimeoutMs: number;
  private readonly deadlines = new Set<{ at: number; expire: () => void }>();
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

  async run<T>(
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
      return primary(PRIMARY);
    }
    const running = this.running.get(flagKey) ?? 0;
    if (running >= this.maxConcurrent) {
      stats.skipped++;
      return primary(PRIMARY);
    }
    stats.shadowed++;
    this.running.set(flagKey, running + 1);
    try {
      call.beforeShadow?.();
    } catch {
      this.release(flagKey);
      stats.candidateErrors++;
      return primary(PRIMARY);
    }
    const shadowFn = candidateServed ? call.control : call.candidate;
    let outcome: Outcome<T> | undefined;
    let primaryDone: ((o: Outcome<T>) => void) | undefined;
    this.start(
      shadowFn,
      usableTimeout(call.timeoutMs) ?? usableTimeout(rule.timeoutMs) ?? this.defaultTimeoutMs,
      (o) => {
        outcome = o;
        primaryDone?.(o);
      },
      () => this.release(flagKey),
    );

    const started = this.now();
    // The primary's own exception reaches the caller; the shadow run still ends and frees its slot.
    const result = await primary(PRIMARY);
    const primaryMs = this.now() - started;
    const compare = (o: Outcome<T>) => this.record(flagKey, call, candidateServed, result, primaryMs, o);
    if (outcome) compare(outcome);
    else primaryDone = compare;
    return result;
  }

  private release(flagKey: string): void {
    const n = (this.running.get(flagKey) ?? 1) - 1;
    if (n <= 0) this.running.delete(flagKey);
    else this.running.set(flagKey, n);
  }

  /**
   * Starts the shadow run: `done` gets its outcome by the timeout at the latest; `settled` runs when the
   * run itself ends (its bulkhead slot is held until then, so runs that ignore the abort still count).
   * Cheap on purpose: the signal is made only if the run reads it, and one sweep serves every deadline.
   */
  private start<T>(
    fn: (marker: ShadowMarker) => T | Promise<T>,
    timeoutMs: number,
    done: (o: Outcome<T>) => void,
    settled: () => void,
  ): void {
    let started = 0;
    let controller: AbortController | undefined;
    let finished = false;
    const finish = (outcome: Outcome<T>) => {
      if (finished) return;
      finished = true;
      this.deadlines.delete(deadline);
      done(outcome);
    };
    const deadline = {
      at: 0,
      expire: () => {
        controller?.abort();
        finish({ kind: "timeout", ms: this.now() - started });
      },
    };
    const marker: ShadowMarker = {
      shadow: true,
      get signal() {
        controller ??= new AbortController();
        return controller.signal;
      },
    };
    // Started on the next turn: the caller's continuation (sending the response) runs before any
    // synchronous work the shadow path does before its first await. Its clock and its deadline start
    // with it, so its latency is its own, not the primary's and the caller's before it.
    later(() => {
      started = this.now();
      deadline.at = started + timeoutMs;
      this.deadlines.add(deadline);
      this.sweepSoon();
      let result: T | Promise<T>;
      try {
        result = fn(marker);
      } catch {
        finish({ kind: "error", ms: this.now() - started });
        settled();
        return;
      }
      Promise.resolve(result).then(
        (value) => {
          finish({ kind: "ok", value, ms: this.now() - started });
          settled();
        },
        () => {
          finish({ kind: "error", ms: this.now() - started });
          settled();
        },
      );
    });
  }

  /** One timer for all shadow runs: expires the runs past their deadline, stops when none are left. */
  private sweepSoon(): void {
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
    const [control, candidate] = candidateServed ? [outcome.value, primary] : [primary, outcome.value];
    const describe = call.describe ?? ((v: T): unknown => v);
    const tally = (same: boolean) =>
      this.tally(flagKey, same, () => [describe(control), describe(candidate)]);
    let same: boolean | Promise<boolean>;
    try {
      same = (call.compare ?? deepEqual)(control, candidate);
    } catch {
      stats.candidateErrors++;
      return;
    }
    if (typeof same === "boolean") tally(same);
    else
      same.then(
        (s) => tally(s === true),
        () => {
          // Looked up again: the statistics may have been taken for a report meanwhile.
          const current = this.stats.for(flagKey);
          if (current) current.candidateErrors++;
        },
      );
  }

  private tally(flagKey: string, same: boolean, described: () => [unknown, unknown]): void {
    const stats = this.stats.for(flagKey);
    if (!stats) return;
    if (same) {
      stats.matches++;
      return;
    }
    stats.mismatches++;
    try {
      const [control, candidate] = described();
      this.stats.sample(stats, this.redact(control), this.redact(candidate));
    } catch {
      // A throwing redact hook drops the sample, never the count.
    }
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
