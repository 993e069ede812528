/**
 * @module Shadow paths whose work is moving an injected clock by a drawn latency: exact latencies at no
 * cost in time, so a test can send thousands of timed shadow runs and know what each path took.
 */
type Path = "control" | "candidate";

export class TimedWork {
  /** The clock to give the client as `shadow.now`. */
  now = 0;
  /** Every latency each path took, in ms. */
  readonly seen: Record<Path, number[]> = { control: [], candidate: [] };

  constructor(private seed = 7) {}

  /** A path that takes `from` to `from + spread` ms (uniform, deterministic) and returns `value`. */
  path<T>(name: Path, from: number, spread: number, value: T): () => T {
    return () => {
      const ms = from + spread * this.draw();
      this.now += ms;
      this.seen[name].push(ms);
      return value;
    };
  }

  private draw(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }
}
