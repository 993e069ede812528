/**
 * @module Sends queued webhook deliveries. A worker leases due rows (a short transaction with
 * `FOR UPDATE SKIP LOCKED`, so instances never send the same row twice and no lock is held during HTTP),
 * POSTs each signed payload with a timeout, logs the attempt on the row, and on failure schedules a retry
 * with exponential backoff and jitter; after the last retry the delivery is `failed`.
 */

import { jsonb } from "../db/json.js";
import type { WebhookAttempt, WebhookFormat } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { onQueued } from "./outbox.js";
import { SIGNATURE_HEADER, signWebhook } from "./signature.js";

/** Delay before attempt n+1 after n failures: 10 s, 30 s, 2 min, 10 min, 1 h; then give up. */
export const BACKOFF_MS = [10_000, 30_000, 120_000, 600_000, 3_600_000];
const LEASE_MS = 60_000;
const BATCH = 20;

export interface WorkerOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  pollMs?: number;
  /** 0..1 for the jitter; default Math.random. */
  random?: () => number;
}

type Deps = Pick<AppDeps, "db" | "logger" | "now">;

export function chatBody(format: WebhookFormat, payload: { text: string }): unknown {
  if (format === "json") return payload;
  return { text: payload.text, blocks: [{ type: "section", text: { type: "mrkdwn", text: payload.text } }] };
}

export class WebhookWorker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private readonly send: typeof fetch;

  constructor(
    private readonly deps: Deps,
    private readonly options: WorkerOptions = {},
  ) {
    this.send = options.fetch ?? fetch;
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.options.pollMs ?? 1000);
    this.timer.unref?.();
    this.unsubscribe = onQueued(() => this.nudge());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
  }

  /** Runs a pass now, or right after the current one. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .catch((error) => {
        this.deps.logger.error({ err: error }, "webhook delivery pass failed");
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Leases and sends every due delivery (in batches); returns how many were attempted. */
  async runOnce(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const leased = await this.lease();
      if (leased.length === 0) return attempted;
      await Promise.all(leased.map((d) => this.deliver(d)));
      attempted += leased.length;
    }
  }

  private async lease() {
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom("webhook_deliveries")
        .select("id")
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .where((eb) => eb.or([eb("leased_until", "is", null), eb("leased_until", "<", now)]))
        .orderBy("id")
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable("webhook_deliveries as d")
        .from("webhooks as w")
        .set({ leased_until: new Date(now.getTime() + LEASE_MS) })
        .whereRef("w.id", "=", "d.webhook_id")
        .where(
          "d.id",
          "in",
          due.map((d) => d.id),
        )
        .returning(["d.id", "d.payload", "d.attempts", "w.url", "w.secret", "w.format"])
        .execute();
    });
  }

  private async deliver(d: {
    id: string;
    payload: unknown;
    attempts: WebhookAttempt[];
    url: string;
    secret: string;
    format: WebhookFormat;
  }): Promise<void> {
    const started = this.deps.now();
    const body = JSON.stringify(chatBody(d.format, d.payload as { text: string }));
    let status: number | null = null;
    let error: string | null = null;
    const t0 = performance.now();
    try {
      const response = await this.send(d.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Switchyard-Webhooks/1",
          [SIGNATURE_HEADER]: signWebhook(d.secret, body, Math.floor(started.getTime() / 1000)),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      status = response.status;
      await response.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempt: WebhookAttempt = {
      at: started.toISOString(),
      status,
      error,
      ms: Math.round(performance.now() - t0),
    };
    const attempts = [...d.attempts, attempt];
    const failures = attempts.filter((a) => a.error !== null).length;
    const next =
      error === null
        ? { status: "delivered" as const, delivered_at: this.deps.now() }
        : failures > BACKOFF_MS.length
          ? { status: "failed" as const }
          : { next_attempt_at: new Date(started.getTime() + this.backoff(failures)) };
    await this.deps.db
      .updateTable("webhook_deliveries")
      .set({ ...next, attempts: jsonb(attempts), leased_until: null })
      .where("id", "=", d.id)
      .execute();
  }

  /** The base delay for this many failures, ±20% so retries from many deliveries do not arrive together. */
  private backoff(failures: number): number {
    const base = BACKOFF_MS[failures - 1] ?? (BACKOFF_MS.at(-1) as number);
    return Math.round(base * (0.8 + 0.4 * (this.options.random ?? Math.random)()));
  }
}

/** Deliveries of one webhook, newest first (the delivery log). */
export function deliveriesOf(db: AppDeps["db"], webhookId: number, limit = 50) {
  return db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("webhook_id", "=", webhookId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
