/**
 * @module Shadow reports from SDKs, summed in memory per environment, flag and minute and written once a
 * second (one row per key and flush; reads add the rows up, so instances never contend on a row).
 */
import { jsonb } from "../db/json.js";
import type { AppDeps } from "../deps.js";
import { BatchedWriter } from "../sdk/batched-writer.js";
import { addHistograms } from "./latency-buckets.js";
import { MAX_SAMPLES_KEPT } from "./samples.js";
import type { ShadowFlagInput } from "./schemas.js";

const MINUTE_MS = 60_000;

type Pending = Omit<ShadowFlagInput, "samples"> & {
  environment: string;
  flag: string;
  minute: Date;
  samples: ShadowFlagInput["samples"];
};

export class ShadowRecorder extends BatchedWriter<Pending[]> {
  private pending = new Map<string, Pending>();

  constructor(deps: Pick<AppDeps, "db" | "logger" | "now">) {
    super(deps, "shadow reports");
  }

  record(environment: string, flags: Record<string, ShadowFlagInput>): void {
    const minute = new Date(Math.floor(this.deps.now().getTime() / MINUTE_MS) * MINUTE_MS);
    for (const [flag, r] of Object.entries(flags)) {
      const key = `${environment}\u0000${flag}\u0000${minute.getTime()}`;
      const p = this.pending.get(key);
      if (!p) {
        if (!this.admit()) continue;
        this.pending.set(key, {
          ...r,
          environment,
          flag,
          minute,
          controlLatency: [...r.controlLatency],
          candidateLatency: [...r.candidateLatency],
          samples: r.samples.slice(0, MAX_SAMPLES_KEPT),
        });
        continue;
      }
      for (const k of [
        "calls",
        "shadowed",
        "matches",
        "mismatches",
        "candidateErrors",
        "controlErrors",
        "timeouts",
        "skipped",
      ] as const)
        p[k] += r[k];
      p.controlLatency = addHistograms(p.controlLatency, r.controlLatency);
      p.candidateLatency = addHistograms(p.candidateLatency, r.candidateLatency);
      p.samples.push(...r.samples.slice(0, MAX_SAMPLES_KEPT - p.samples.length));
    }
  }

  protected pendingSize(): number {
    return this.pending.size;
  }

  protected take() {
    const rows = [...this.pending.values()];
    this.pending = new Map();
    return { rows, size: rows.length };
  }

  protected async store(rows: Pending[]): Promise<void> {
    if (!rows.length) return;
    await this.deps.db
      .insertInto("shadow_reports")
      .values(
        rows.map((r) => ({
          environment_key: r.environment,
          flag_key: r.flag,
          minute: r.minute,
          calls: r.calls,
          shadowed: r.shadowed,
          matches: r.matches,
          mismatches: r.mismatches,
          candidate_errors: r.candidateErrors,
          control_errors: r.controlErrors,
          timeouts: r.timeouts,
          skipped: r.skipped,
          control_latency: jsonb(r.controlLatency),
          candidate_latency: jsonb(r.candidateLatency),
          samples: jsonb(r.samples),
        })),
      )
      .execute();
  }
}
