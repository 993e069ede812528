/**
 * @module zod schema of the shadow report SDKs post (core's `ShadowReport`); latency histograms on the
 * coarse or the fine scale (latency-buckets.ts).
 */
import { z } from "@hono/zod-openapi";
import { HISTOGRAM_LENGTHS } from "./latency-buckets.js";
import { keepSamples, MAX_SAMPLES_KEPT, SAMPLE_VALUE_CHARS } from "./samples.js";

const count = z.number().int().nonnegative();
const histogram = z.array(count).refine((h) => HISTOGRAM_LENGTHS.includes(h.length), {
  message: `one count per latency bucket plus overflow: ${HISTOGRAM_LENGTHS.join(" (coarse) or ")} (fine) counts`,
});

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
  samples: z
    .unknown()
    .openapi({
      type: "array",
      items: { type: "object", properties: { control: {}, candidate: {}, at: { type: "number" } } },
      description: `Up to ${MAX_SAMPLES_KEPT} are kept; values over ${SAMPLE_VALUE_CHARS} characters of JSON are truncated.`,
    })
    .transform((raw) => keepSamples(Array.isArray(raw) ? raw : [])),
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
