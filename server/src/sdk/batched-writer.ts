/**
 * @module What SDK reports have in common on their way to Postgres: gathered in memory, written once a
 * second by one flush at a time, and written out on shutdown. Subclasses say how to take a batch and
 * how to store it (in one transaction, so a failed store wrote nothing and can be retried whole).
 *
 * A database failure does not lose the batch at once: it is kept and retried on the next flushes, at
 * most {@link MAX_ATTEMPTS} times, then dropped and counted (`/metrics`). Memory stays bounded: at most
 * MAX_ATTEMPTS batches are held, and a writer admits at most `maxPending` distinct entries between
 * flushes (more are counted as dropped, existing entries keep aggregating).
 */
import type { AppDeps } from "../deps.js";

const FLUSH_MS = 1000;
export const MAX_ATTEMPTS = 3;
export const MAX_PENDING = 100_000;

export interface Batch<B> {
  rows: B;
  /** Entries in the batch, for the dropped counter. */
  size: number;
}

export abstract class BatchedWriter<B = unknown> {
  private readonly timer: ReturnType<typeof setInterval>;
  private flushing: Promise<void> = Promise.resolve();
  private held: (Batch<B> & { attempts: number })[] = [];
  /** Entries given up on (after MAX_ATTEMPTS failed stores, or refused when full). */
  dropped = 0;
  /** Failed store attempts. */
  failures = 0;

  constructor(
    protected readonly deps: Pick<AppDeps, "db" | "logger" | "now">,
    readonly what: string,
    private readonly maxPending = MAX_PENDING,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref?.();
  }

  /** Writes what has accumulated; serialised, so writes never overlap. Never rejects (it logs). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeHeld());
    return this.flushing;
  }

  private async writeHeld(): Promise<void> {
    const fresh = this.take();
    if (fresh && fresh.size > 0) this.held.push({ ...fresh, attempts: 0 });
    const still: typeof this.held = [];
    for (const batch of this.held) {
      try {
        await this.store(batch.rows);
      } catch (error) {
        this.failures++;
        batch.attempts++;
        if (batch.attempts < MAX_ATTEMPTS) {
          still.push(batch);
          this.deps.logger.warn(
            { err: error, attempt: batch.attempts },
            `could not store ${this.what}; will retry`,
          );
        } else {
          this.dropped += batch.size;
          this.deps.logger.error(
            { err: error, entries: batch.size },
            `dropped ${this.what} after ${MAX_ATTEMPTS} attempts`,
          );
        }
      }
    }
    this.held = still;
  }

  /** Whether one more distinct pending entry fits; counts a refusal as dropped. */
  protected admit(): boolean {
    if (this.pendingSize() < this.maxPending) return true;
    this.dropped++;
    return false;
  }

  /** Takes what is pending (leaving nothing pending). */
  protected abstract take(): Batch<B> | undefined;
  /** Stores a batch; throws if nothing was stored. */
  protected abstract store(rows: B): Promise<void>;
  /** Distinct entries pending now. */
  protected abstract pendingSize(): number;

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
