/**
 * @module Sends the shadow statistics (`POST /sdk/v1/shadow`) every flush interval and on close. Reports
 * stay under the server's size limit (split by flag when needed; mismatch samples are dropped before any
 * count is), and a send that may succeed later puts its statistics back to be sent with the next batch —
 * bounded like the statistics themselves — so the counts a guard decides on are not lost to a short outage.
 */
import { SDK_PATHS, type ShadowReport } from "@switchyard/core";
import type { FlagShadowStats, ShadowWindow } from "../shadow/stats.js";
import { type HttpConfig, HttpStatusError, postReport } from "../transport/http.js";
import { SDK_NAME } from "../version.js";
import { PeriodicReporter, type ReporterOptions } from "./periodic-reporter.js";

/** The server refuses report bodies over 1 MiB (server/src/sdk/routes.ts); this leaves room to spare. */
export const MAX_SHADOW_REPORT_CHARS = 768 * 1024;

export interface ShadowSource {
  /** The statistics gathered since the last call, or undefined when there are none. */
  take(): ShadowWindow | undefined;
  /** Statistics that could not be sent, to go with the next batch. */
  restore(window: ShadowWindow): void;
}

export type ShadowReporterOptions = ReporterOptions;

export class ShadowReporter extends PeriodicReporter {
  constructor(
    private readonly http: HttpConfig,
    private readonly source: ShadowSource,
    options: ReporterOptions,
  ) {
    super(options);
  }

  protected sendPending(signal: AbortSignal): Promise<void> | undefined {
    const window = this.source.take();
    if (!window) return undefined;
    const batches = packFlags(window.flags, MAX_SHADOW_REPORT_CHARS);
    return Promise.all(batches.map((flags) => this.send({ ...window, flags }, signal))).then(() => {});
  }

  private async send(window: ShadowWindow, signal: AbortSignal): Promise<void> {
    const report: ShadowReport = {
      instanceId: this.http.instanceId,
      sdk: SDK_NAME,
      start: window.start,
      end: window.end,
      flags: window.flags,
    };
    try {
      await postReport(this.http, SDK_PATHS.shadow, report, signal);
    } catch (error) {
      if (mayPassLater(error)) this.source.restore(window);
      this.reportError(error, signal);
    }
  }
}

/** No answer, a timeout, throttling or a server error may pass; any other refusal would be refused again. */
function mayPassLater(error: unknown): boolean {
  if (!(error instanceof HttpStatusError)) return true;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * Splits per-flag statistics into groups whose report stays under `budget` characters of JSON. A flag too
 * big for a report of its own goes without its mismatch samples: samples never hold back the counts.
 */
export function packFlags(
  flags: Record<string, FlagShadowStats>,
  budget: number,
): Record<string, FlagShadowStats>[] {
  const envelope = 400; // instance id, sdk, start, end and the JSON around them
  const groups: Record<string, FlagShadowStats>[] = [];
  let group: Record<string, FlagShadowStats> = {};
  let used = envelope;
  for (const [key, stats] of Object.entries(flags)) {
    let entry = stats;
    let size = sizeOf(key, entry);
    if (envelope + size > budget) {
      entry = { ...stats, samples: [] };
      size = sizeOf(key, entry);
    }
    if (used + size > budget && used > envelope) {
      groups.push(group);
      group = {};
      used = envelope;
    }
    group[key] = entry;
    used += size;
  }
  if (used > envelope) groups.push(group);
  return groups;
}

function sizeOf(key: string, stats: FlagShadowStats): number {
  return JSON.stringify(key).length + JSON.stringify(stats).length + 2;
}
