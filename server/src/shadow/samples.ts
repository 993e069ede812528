/**
 * @module Mismatch samples as the server keeps them: a few per flag and report, each value bounded. A report
 * is statistics first — an oversized, surplus or malformed sample is cut or dropped, never a reason to
 * refuse the counts that came with it.
 */
import { z } from "zod";

/** Samples kept per flag and report (and per stored minute). */
export const MAX_SAMPLES_KEPT = 20;
/** A sample's control or candidate value longer than this, as JSON, is replaced by a truncated preview. */
export const SAMPLE_VALUE_CHARS = 4_096;
export const SAMPLE_PREVIEW_CHARS = 1_024;

export interface Sample {
  control: unknown;
  candidate: unknown;
  at: number;
}

const sampleSchema = z.object({ control: z.unknown(), candidate: z.unknown(), at: z.number() });

/** What a value too long to keep becomes: its JSON length and the start of its JSON. */
function capped(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  if (text.length <= SAMPLE_VALUE_CHARS) return value ?? null;
  return { truncated: true, bytes: text.length, preview: text.slice(0, SAMPLE_PREVIEW_CHARS) };
}

/** The first {@link MAX_SAMPLES_KEPT} well-formed samples, each value capped. */
export function keepSamples(raw: unknown[]): Sample[] {
  const kept: Sample[] = [];
  for (const entry of raw) {
    if (kept.length === MAX_SAMPLES_KEPT) break;
    const parsed = sampleSchema.safeParse(entry);
    if (!parsed.success) continue;
    const { control, candidate, at } = parsed.data;
    kept.push({ control: capped(control), candidate: capped(candidate), at });
  }
  return kept;
}
