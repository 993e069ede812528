/** @module zod schemas of what SDKs post (see MetricsReport and AckReport in core's protocol). */
import { z } from "zod";

const instanceId = z.string().min(1, "instanceId is required").max(200);
const sdk = z.string().max(100).default("unknown");

export const ackEntrySchema = z.object({
  version: z.number().int().nonnegative(),
  appliedAt: z.number().nonnegative().optional(),
});

export const ackReportSchema = z.object({
  instanceId,
  sdk,
  acks: z.array(ackEntrySchema).max(1000),
});

export const metricsReportSchema = z.object({
  instanceId,
  sdk,
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  evaluations: z
    .array(
      z.object({
        flag: z.string().min(1).max(512),
        variant: z.string().max(512).nullable(),
        count: z.number().int().positive(),
      }),
    )
    .max(10_000),
  dropped: z.number().int().nonnegative().optional(),
  acks: z.array(ackEntrySchema).max(1000).optional(),
});

export const contextBodySchema = z.object({
  context: z.record(z.string(), z.unknown()).default({}),
});
