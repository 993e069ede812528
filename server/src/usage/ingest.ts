/**
 * @module Evaluation counts from SDKs, aggregated in memory and written once a second as one upsert per
 * table — not one INSERT per report — into hourly counts per flag and variant, and "last evaluated".
 */
import type { EvaluationCount } from "@switchyard/core";
import { sql } from "kysely";
import type { AppDeps } from "../deps.js";
import { BatchedWriter } from "../sdk/batched-writer.js";

const HOUR_MS = 3_600_000;

type Counted = { environment: string; flag: string; variant: string; hour: Date; count: number };
type Seen = { environment: string; flag: string; at: Date };

export class UsageRecorder extends BatchedWriter<{ counts: Counted[]; seen: Seen[] }> {
  private counts = new Map<string, Counted>();
  private lastSeen = new Map<string, Seen>();
  /** Total evaluations ingested (for /metrics). */
  ingested = 0;

  constructor(deps: Pick<AppDeps, "db" | "logger" | "now">) {
    super(deps, "evaluation metrics");
  }

  record(environment: string, evaluations: EvaluationCount[]): void {
    const now = this.deps.now();
    const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    for (const e of evaluations) {
      const variant = e.variant ?? "";
      const key = `${environment}\u0000${e.flag}\u0000${variant}\u0000${hour.getTime()}`;
      const entry = this.counts.get(key);
      if (entry) entry.count += e.count;
      else if (!this.admit()) continue;
      else this.counts.set(key, { environment, flag: e.flag, variant, hour, count: e.count });
      this.lastSeen.set(`${environment}\u0000${e.flag}`, { environment, flag: e.flag, at: now });
      this.ingested += e.count;
    }
  }

  protected pendingSize(): number {
    return this.counts.size;
  }

  protected take() {
    const rows = { counts: [...this.counts.values()], seen: [...this.lastSeen.values()] };
    this.counts = new Map();
    this.lastSeen = new Map();
    return { rows, size: rows.counts.length };
  }

  /** Both upserts in one transaction: a retry after a failure cannot count twice. */
  protected async store({ counts, seen }: { counts: Counted[]; seen: Seen[] }): Promise<void> {
    await this.deps.db.transaction().execute(async (db) => {
      if (counts.length) {
        await db
          .insertInto("evaluation_metrics")
          .values(
            counts.map((c) => ({
              environment_key: c.environment,
              flag_key: c.flag,
              variant: c.variant,
              hour: c.hour,
              count: c.count,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(["environment_key", "flag_key", "variant", "hour"])
              .doUpdateSet({ count: sql<number>`evaluation_metrics.count + excluded.count` }),
          )
          .execute();
      }
      if (seen.length) {
        await db
          .insertInto("flag_last_evaluated")
          .values(seen.map((s) => ({ environment_key: s.environment, flag_key: s.flag, at: s.at })))
          .onConflict((oc) =>
            oc
              .columns(["environment_key", "flag_key"])
              .doUpdateSet({ at: sql<Date>`greatest(flag_last_evaluated.at, excluded.at)` }),
          )
          .execute();
      }
    });
  }
}
