/**
 * @module What SDK reports have in common on their way to Postgres: gathered in memory, written once a
 * second by one flush at a time, and written out on shutdown. Subclasses say how to write.
 */
import type { AppDeps } from "../deps.js";

const FLUSH_MS = 1000;

export abstract class BatchedWriter {
  private readonly timer: ReturnType<typeof setInterval>;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    protected readonly deps: Pick<AppDeps, "db" | "logger" | "now">,
    private readonly what: string,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref?.();
  }

  /** Writes what has accumulated; serialised, so writes never overlap. Never rejects (it logs). */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.write())
      .catch((error) => this.deps.logger.warn({ err: error }, `could not store ${this.what}`));
    return this.flushing;
  }

  /** Takes what is pending and writes it. */
  protected abstract write(): Promise<void>;

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
