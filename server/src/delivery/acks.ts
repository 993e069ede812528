/**
 * @module Delivery confirmation: which SDK instance holds which ruleset version. Acks and stream
 * connections are gathered in memory and written once a second to `sdk_instances` (shared by every
 * server instance), with the server's own clock as the time of receipt, so latency needs no clock sync.
 */
import { sql } from "kysely";
import type { AppDeps } from "../deps.js";
import { BatchedWriter } from "../sdk/batched-writer.js";

interface Sighting {
  environment: string;
  instanceId: string;
  sdk: string;
  version?: number;
  appliedAt?: Date;
  ackedAt?: Date;
  lastSeenAt: Date;
}

export class AckRecorder extends BatchedWriter<Sighting[]> {
  private pending = new Map<string, Sighting>();

  constructor(deps: Pick<AppDeps, "db" | "logger" | "now">) {
    super(deps, "SDK acknowledgements");
  }

  /** An instance says it applied `version` (its own clock's `appliedAt` is kept for reference only). */
  ack(environment: string, instanceId: string, sdk: string, version: number, appliedAt?: number): void {
    const now = this.deps.now();
    const key = `${environment}\u0000${instanceId}`;
    const previous = this.pending.get(key);
    if (previous?.version !== undefined && previous.version >= version) {
      previous.lastSeenAt = now;
      return;
    }
    if (!previous && !this.admit()) return;
    this.pending.set(key, {
      environment,
      instanceId,
      sdk,
      version,
      appliedAt: appliedAt ? new Date(appliedAt) : now,
      ackedAt: now,
      lastSeenAt: now,
    });
  }

  /** An instance is alive (connected to a stream or reporting), without a new version. */
  seen(environment: string, instanceId: string, sdk: string): void {
    const key = `${environment}\u0000${instanceId}`;
    const previous = this.pending.get(key);
    if (previous) previous.lastSeenAt = this.deps.now();
    else if (this.admit())
      this.pending.set(key, { environment, instanceId, sdk, lastSeenAt: this.deps.now() });
  }

  /** Two multi-row upserts: liveness for everyone, and versions only where they move forward. */
  protected pendingSize(): number {
    return this.pending.size;
  }

  protected take() {
    const rows = [...this.pending.values()];
    this.pending = new Map();
    return { rows, size: rows.length };
  }

  /** Both upserts are idempotent (greatest / only forward), so a retried batch is harmless. */
  protected async store(rows: Sighting[]): Promise<void> {
    if (!rows.length) return;
    await this.deps.db
      .insertInto("sdk_instances")
      .values(
        rows.map((r) => ({
          environment_key: r.environment,
          instance_id: r.instanceId,
          sdk: r.sdk,
          last_seen_at: r.lastSeenAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["environment_key", "instance_id"]).doUpdateSet({
          last_seen_at: sql<Date>`greatest(sdk_instances.last_seen_at, excluded.last_seen_at)`,
          sdk: sql<string>`excluded.sdk`,
        }),
      )
      .execute();
    const acked = rows.filter((r) => r.version !== undefined);
    if (!acked.length) return;
    await this.deps.db
      .insertInto("sdk_instances")
      .values(
        acked.map((r) => ({
          environment_key: r.environment,
          instance_id: r.instanceId,
          sdk: r.sdk,
          last_seen_at: r.lastSeenAt,
          version: r.version as number,
          applied_at: r.appliedAt ?? null,
          acked_at: r.ackedAt ?? null,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(["environment_key", "instance_id"])
          .doUpdateSet({
            version: sql<number>`excluded.version`,
            applied_at: sql<Date>`excluded.applied_at`,
            acked_at: sql<Date>`excluded.acked_at`,
          })
          .where(sql<boolean>`sdk_instances.version is null or sdk_instances.version < excluded.version`),
      )
      .execute();
  }
}
