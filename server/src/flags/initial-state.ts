/**
 * @module A flag's state in an environment it has just appeared in: off, serving the last variation
 * ("off" for booleans); once turned on, everyone gets the first variation until rules say otherwise.
 */
import type { Variation } from "@switchyard/core";
import { jsonb } from "../db/json.js";

export function initialState(flagKey: string, environmentKey: string, variations: Variation[]) {
  const first = variations[0]?.key ?? "";
  const last = variations[variations.length - 1]?.key ?? first;
  return {
    flag_key: flagKey,
    environment_key: environmentKey,
    on: false,
    off_variation: last,
    prerequisites: jsonb([]),
    targets: jsonb([]),
    rules: jsonb([]),
    fallthrough: jsonb({ variation: first }),
    shadow: null,
    updated_by: null,
  };
}
