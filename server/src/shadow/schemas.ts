/** @module zod schema of the shadow report SDKs post (core's `ShadowReport`). */
import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import { z } from "zod";
import { keepSamples } from "./samples.js";

const count = z.number().int().nonnegative();
const histogram = z
  .array(count)
  .length(SHADOW_LATENCY_BUCKETS_MS.length + 1, "one count per latency bucket, plus overflow");

export const shadowFlagReportSchema = z.object({
  calls: count,
  shadowed: count,
  matches: count,
  mismatches: count,
  candidateErrors: count,
  controlErrors: count.default(0),
  timeouts: count,
  skipped: count,
  controlLatency: histogram,
  candidateLatency: histogram,
  // Samples never cost the counts: oversized values are truncated, surplus or malformed ones dropped.
  samples: z.array(z.unknown()).catch([]).default([]).transform(keepSamples),
});

export const shadowReportSchema = z.object({
  instanceId: z.string().min(1).max(200),
  sdk: z.string().max(100).default("unknown"),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  flags: z
    .record(z.string().min(1).max(512), shadowFlagReportSchema)
    .refine((f) => Object.keys(f).length <= 1000, "at most 1,000 flags"),
});

export type ShadowFlagInput = z.output<typeof shadowFlagReportSchema>;
