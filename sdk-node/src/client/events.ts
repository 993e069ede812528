/**
 * @module The client's events. `on()` returns its own unsubscribe function; a listener that throws is
 * logged and never breaks the SDK or the other listeners.
 */

export interface ChangeEvent {
  /** Keys of the flags whose evaluation may now differ (including flags that use a changed segment). */
  flags: string[];
  /** The ruleset version now held. */
  version: number;
}

export interface ClientEvents {
  /** A ruleset is loaded and the server is reachable (or no server contact was needed yet). Emitted again after `stale`. */
  ready: { version: number; source: RulesetSource };
  change: ChangeEvent;
  error: Error;
  /** The server cannot be reached; the last good ruleset keeps being served. */
  stale: Error;
}

/** Where the ruleset being served came from. */
export type RulesetSource = "bootstrap" | "persisted" | "server";

export type ClientEventName = keyof ClientEvents;
type Listener<E extends ClientEventName> = (payload: ClientEvents[E]) => void;

export class ClientEmitter {
  private readonly listeners: { [E in ClientEventName]: Set<Listener<E>> } = {
    ready: new Set(),
    change: new Set(),
    error: new Set(),
    stale: new Set(),
  };

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  on<E extends ClientEventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners[event] as Set<Listener<E>> | undefined;
    if (!set)
      throw new TypeError(
        `unknown event '${String(event)}'; expected ${Object.keys(this.listeners).join(", ")}`,
      );
    // Wrap so the same function can be subscribed twice and unsubscribed independently.
    const entry: Listener<E> = (payload) => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<E extends ClientEventName>(event: E, payload: ClientEvents[E]): void {
    for (const listener of this.listeners[event] as Set<Listener<E>>) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  listenerCount(event: ClientEventName): number {
    return this.listeners[event].size;
  }

  clear(): void {
    for (const set of Object.values(this.listeners)) set.clear();
  }
}
