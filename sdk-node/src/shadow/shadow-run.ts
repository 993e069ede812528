/**
 * @module One shadow run: started on the next turn of the event loop (after the caller's continuation),
 * timed around its own execution only, bounded by a deadline at which its abort signal fires. A class
 * rather than closures because one is made on every sampled call.
 */
import type { ShadowMarker } from "./shadow.js";

export type Outcome<T> =
  | { kind: "ok"; value: T; ms: number }
  | { kind: "error"; ms: number }
  | { kind: "timeout"; ms: number };

/** A started run, as the deadline sweep sees it. */
export interface Deadline {
  readonly at: number;
  expire(): void;
}

/** What a run needs from its runner: the clock, the deadline sweep, and the bulkhead slot it holds. */
export interface RunHost {
  now(): number;
  track(run: Deadline): void;
  untrack(run: Deadline): void;
  release(flagKey: string): void;
}

export class ShadowRun<T> implements Deadline {
  /** Clock time at which the run times out; known once it has started. */
  at = Number.POSITIVE_INFINITY;
  private outcome: Outcome<T> | undefined;
  private onOutcome: ((outcome: Outcome<T>) => void) | undefined;
  private started = 0;
  private controller: AbortController | undefined;

  /** Schedules a run of `fn` for the next turn of the event loop. */
  static start<T>(
    host: RunHost,
    flagKey: string,
    fn: (marker: ShadowMarker) => T | Promise<T>,
    timeoutMs: number,
  ): ShadowRun<T> {
    const run = new ShadowRun(host, flagKey, fn, timeoutMs);
    setImmediate(begin, run);
    return run;
  }

  private constructor(
    private readonly host: RunHost,
    private readonly flagKey: string,
    private readonly fn: (marker: ShadowMarker) => T | Promise<T>,
    private readonly timeoutMs: number,
  ) {}

  /** Runs it; the bulkhead slot is held until the run itself ends, even past its timeout. */
  async begin(): Promise<void> {
    this.started = this.host.now();
    this.at = this.started + this.timeoutMs;
    this.host.track(this);
    try {
      const value = await this.fn(new Marker(this));
      this.finish({ kind: "ok", value, ms: this.host.now() - this.started });
    } catch {
      this.finish({ kind: "error", ms: this.host.now() - this.started });
    }
    this.host.release(this.flagKey);
  }

  /** The deadline passed: abort the run and count it as timed out. */
  expire(): void {
    this.controller?.abort();
    this.finish({ kind: "timeout", ms: this.host.now() - this.started });
  }

  /** Made only when the run asks for it. */
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  /** Calls `then` with the outcome: at once if it is known, otherwise when it is. */
  whenDone(then: (outcome: Outcome<T>) => void): void {
    if (this.outcome) then(this.outcome);
    else this.onOutcome = then;
  }

  private finish(outcome: Outcome<T>): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.host.untrack(this);
    this.onOutcome?.(outcome);
  }
}

function begin<T>(run: ShadowRun<T>): void {
  void run.begin();
}

/** What the shadow path gets: `{ shadow: true, signal }`, the signal made lazily. */
class Marker implements ShadowMarker {
  readonly shadow = true;
  readonly #run: { readonly signal: AbortSignal };

  constructor(run: { readonly signal: AbortSignal }) {
    this.#run = run;
  }

  get signal(): AbortSignal {
    return this.#run.signal;
  }
}
