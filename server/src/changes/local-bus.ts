/**
 * @module An in-process change bus (single instance, PGlite). Listeners run after the publisher's
 * commit, synchronously, including the publishing instance's own listeners.
 */
import type { ChangeBus, ChangeEvent } from "../deps.js";

export function createLocalBus(): ChangeBus {
  const listeners = new Set<(event: ChangeEvent) => void>();
  const reconnectListeners = new Set<() => void>();
  return {
    async publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // One bad listener must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async close() {
      listeners.clear();
      reconnectListeners.clear();
    },
  };
}
