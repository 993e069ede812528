/**
 * @module Segments that name each other in `segmentMatch` rules must not form a cycle or a chain deeper
 * than SDKs follow: core would answer such a segment from its key lists only, so its rules would silently
 * stop applying everywhere. A write that would create one is refused, naming the rules.
 */
import { graphShape, MAX_DEPTH } from "@switchyard/core";
import type { Trx } from "../changes/commit.js";
import type { SegmentRow } from "../db/schema.js";
import { ValidationError } from "../problem/errors.js";

const referencedSegments = (rules: SegmentRow["rules"]): string[] =>
  rules.flatMap((r) => r.clauses.filter((c) => c.op === "segmentMatch").flatMap((c) => c.values.map(String)));

/** Run inside the write's transaction, after the segment row holds its new rules. */
export async function assertSegmentGraph(trx: Trx, environment: string, key: string): Promise<void> {
  const rows = await trx
    .selectFrom("segments")
    .select(["key", "rules"])
    .where("environment_key", "=", environment)
    .execute();
  const edges = new Map(rows.map((row) => [row.key, referencedSegments(row.rules)]));
  const { inCycle, depth } = graphShape(edges);
  if (inCycle.has(key)) {
    throw ValidationError.field(
      "rules",
      `would make segment "${key}" match itself through segmentMatch rules`,
    );
  }
  const deepest = rows.find((row) => (depth.get(row.key) ?? 0) > MAX_DEPTH);
  if (deepest) {
    throw ValidationError.field(
      "rules",
      `would nest segments deeper than ${MAX_DEPTH} (from "${deepest.key}")`,
    );
  }
}
