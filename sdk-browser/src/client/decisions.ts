/**
 * @module The decisions held for the current context, with per-flag subscriptions. Replacing the set
 * notifies only flags whose value, variant or reason changed, and keeps unchanged decisions' identity so
 * `useSyncExternalStore` snapshots stay stable.
 */
import type { StoredDecision } from "./types.js";

export type DecisionMap = Record<string, StoredDecision>;

export interface Decisions {
  get(key: string): StoredDecision | undefined;
  all(): ReadonlyMap<string, StoredDecision>;
  /** Swap in a new set; returns the keys that changed (added, removed or different). */
  replace(next: DecisionMap): string[];
  onFlag(key: string, listener: () => void): () => void;
  onChange(listener: (changed: string[]) => void): () => void;
  clear(): void;
}

const same = (a: StoredDecision, b: StoredDecision): boolean =>
  a.variant === b.variant &&
  a.reason === b.reason &&
  a.errorCode === b.errorCode &&
  JSON.stringify(a.value) === JSON.stringify(b.value);

/** Adds a listener to a set; returns the function that removes it. */
export const listen = <L>(set: Set<L>, listener: L) => {
  set.add(listener);
  return () => void set.delete(listener);
};

export function createDecisions(): Decisions {
  // A Map, not an object: flag keys such as `constructor` or `toString` must not find Object.prototype.
  let held = new Map<string, StoredDecision>();
  const perFlag = new Map<string, Set<() => void>>();
  const global = new Set<(changed: string[]) => void>();

  const safely = (fn: () => void) => {
    try {
      fn();
    } catch {
      // a listener's failure must not stop the others or the update
    }
  };

  return {
    get: (key) => held.get(key),
    all: () => held,
    replace(next) {
      const merged = new Map<string, StoredDecision>();
      const changed: string[] = [];
      for (const key in next) {
        const before = held.get(key);
        const after = next[key]!;
        if (before && same(before, after)) merged.set(key, before);
        else {
          merged.set(key, after);
          changed.push(key);
        }
      }
      for (const [key] of held) if (!merged.has(key)) changed.push(key);
      held = merged;
      if (changed.length) {
        for (const key of changed) for (const l of perFlag.get(key) ?? []) safely(l);
        for (const l of global) safely(() => l(changed));
      }
      return changed;
    },
    onFlag(key, listener) {
      const set = perFlag.get(key) ?? new Set();
      perFlag.set(key, set);
      return listen(set, listener);
    },
    onChange: (listener) => listen(global, listener),
    clear() {
      perFlag.clear();
      global.clear();
    },
  };
}
