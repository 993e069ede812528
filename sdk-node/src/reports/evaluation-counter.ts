/**
 * @module Evaluation counts per flag and variant, kept in memory between flushes. Counting sits on the hot
 * path of every `client.boolean(...)`, so it is one Map lookup and a scan of the flag's few variants. The
 * number of (flag, variant) entries is bounded: past the bound, evaluations are dropped and counted as such.
 */
import type { EvaluationCount } from "@switchyard/core";

/** Counts of one flag; variants are few, so parallel arrays beat a nested Map. */
interface FlagCounts {
  variants: (string | null)[];
  counts: number[];
}

export interface CountWindow {
  start: number;
  end: number;
  evaluations: EvaluationCount[];
  dropped: number;
}

export class EvaluationCounter {
  private flags = new Map<string, FlagCounts>();
  private entries = 0;
  private dropped = 0;
  private windowStart: number;

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  count(flag: string, variant: string | undefined): void {
    const v = variant ?? null;
    const counts = this.flags.get(flag);
    if (counts !== undefined) {
      const variants = counts.variants;
      for (let i = 0; i < variants.length; i++) {
        if (variants[i] === v) {
          counts.counts[i]!++;
          return;
        }
      }
    }
    this.add(flag, v, 1, counts);
  }

  private add(flag: string, variant: string | null, n: number, counts: FlagCounts | undefined): void {
    if (this.entries >= this.maxEntries) {
      this.dropped += n;
      return;
    }
    this.entries++;
    if (counts === undefined) this.flags.set(flag, { variants: [variant], counts: [n] });
    else {
      counts.variants.push(variant);
      counts.counts.push(n);
    }
  }

  /** Number of (flag, variant) entries held. */
  get size(): number {
    return this.entries;
  }

  get isEmpty(): boolean {
    return this.entries === 0 && this.dropped === 0;
  }

  /** Takes the counts gathered since the last drain and starts a new window. */
  drain(): CountWindow {
    const evaluations: EvaluationCount[] = [];
    for (const [flag, { variants, counts }] of this.flags) {
      for (let i = 0; i < variants.length; i++) {
        evaluations.push({ flag, variant: variants[i]!, count: counts[i]! });
      }
    }
    const end = this.now();
    const window = { start: this.windowStart, end, evaluations, dropped: this.dropped };
    this.flags = new Map();
    this.entries = 0;
    this.dropped = 0;
    this.windowStart = end;
    return window;
  }

  /** Puts back a window that could not be sent (within the same bound), so counts survive a short outage. */
  restore(window: CountWindow): void {
    this.windowStart = Math.min(this.windowStart, window.start);
    this.dropped += window.dropped;
    for (const { flag, variant, count } of window.evaluations) {
      const counts = this.flags.get(flag);
      const i = counts ? counts.variants.indexOf(variant) : -1;
      if (counts && i !== -1) counts.counts[i]! += count;
      else this.add(flag, variant, count, counts);
    }
  }
}
