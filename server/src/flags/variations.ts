/**
 * @module Variation checks: values match the flag's kind, keys are unique, and an edit never removes a
 * variation that some environment still serves.
 */
import type { Variation } from "@switchyard/core";
import type { Trx } from "../changes/commit.js";
import type { FlagRow } from "../db/schema.js";
import { ValidationError } from "../problem/errors.js";
import { servedVariations } from "./validate-state.js";

export function checkVariations(kind: FlagRow["kind"], variations: Variation[]): void {
  const errors: { path: string; message: string }[] = [];
  if (variations.length < (kind === "boolean" ? 2 : 1)) {
    errors.push({
      path: "variations",
      message:
        kind === "boolean" ? "a boolean flag needs two variations" : "at least one variation is needed",
    });
  }
  const seen = new Set<string>();
  for (const [i, v] of variations.entries()) {
    if (seen.has(v.key))
      errors.push({ path: `variations.${i}.key`, message: `duplicate variation key "${v.key}"` });
    seen.add(v.key);
    const ok =
      kind === "boolean"
        ? typeof v.value === "boolean"
        : kind === "string"
          ? typeof v.value === "string"
          : kind === "number"
            ? typeof v.value === "number" && Number.isFinite(v.value)
            : v.value !== undefined;
    if (!ok) errors.push({ path: `variations.${i}.value`, message: `must be a ${kind} value` });
  }
  if (kind === "boolean" && variations.length === 2 && variations[0]?.value === variations[1]?.value) {
    errors.push({ path: "variations", message: "a boolean flag's variations must be true and false" });
  }
  if (errors.length > 0)
    throw new ValidationError(`Invalid variations: ${errors[0]?.path}: ${errors[0]?.message}`, errors);
}

export async function assertVariationsStillServed(
  trx: Trx,
  flagKey: string,
  variations: Variation[],
): Promise<void> {
  const keys = new Set(variations.map((v) => v.key));
  const states = await trx.selectFrom("flag_states").selectAll().where("flag_key", "=", flagKey).execute();
  const dependents = await trx
    .selectFrom("flag_states")
    .select(["flag_key", "environment_key", "prerequisites"])
    .execute();
  for (const state of states) {
    for (const used of servedVariations(state)) {
      if (!keys.has(used)) {
        throw ValidationError.field(
          "variations",
          `variation "${used}" is still served in ${state.environment_key}; change that state first`,
        );
      }
    }
  }
  for (const d of dependents) {
    for (const p of d.prerequisites) {
      if (p.flagKey === flagKey && !keys.has(p.variation)) {
        throw ValidationError.field(
          "variations",
          `variation "${p.variation}" is a prerequisite of ${d.flag_key} in ${d.environment_key}`,
        );
      }
    }
  }
}
