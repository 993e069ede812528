/**
 * @module Evaluation counts from SDKs, aggregated in memory and written once a second as one upsert per
 * table — not one INSERT per report — into hourly counts per flag and variant, and "last evaluated".
 */
import type { EvaluationCount } from "@switchyard/core";
import { sql } from "kysely";
import type { AppDeps } from "../deps.js";
import { BatchedWriter } from "../sdk/batched-writer.js";

const HOUR_MS = 3_600_000;

export class UsageRecorder extends BatchedWriter {
  private counts = new Map<
    string,
    { environment: string; flag: string; variant: string; hour: Date; count: number }
  >();
  private lastSeen = new Map<string, { environment: string; flag: string; at: Date }>();
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
      else this.counts.set(key, { environment, flag: e.flag, variant, hour, count: e.count });
      this.lastSeen.set(`${environment}\u0000${e.flag}`, { environment, flag: e.flag, at: now });
      this.ingested += e.count;
    }
  }

  protected async write(): Promise<void> {
    const counts = [...this.counts.values()];
    const seen = [...this.lastSeen.values()];
    this.counts = new Map();
    this.lastSeen = new Map();
    if (counts.length) {
      await this.deps.db
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
      await this.deps.db
        .insertInto("flag_last_evaluated")
        .values(seen.map((s) => ({ environment_key: s.environment, flag_key: s.flag, at: s.at })))
        .onConflict((oc) =>
          oc
            .columns(["environment_key", "flag_key"])
            .doUpdateSet({ at: sql<Date>`greatest(flag_last_evaluated.at, excluded.at)` }),
        )
        .execute();
    }
  }
}
