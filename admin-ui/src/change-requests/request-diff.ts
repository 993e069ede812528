/**
 * @module What a change request changes: its requested fields against the flag's live state while it is
 * pending; once decided, the live state has moved on, so only what it asked for.
 */
import type { FlagState } from "../api/types.js";
import { type Change, diffValues } from "../history/diff.js";
import type { ChangeRequest } from "./api.js";

/** For a state edit; a schedule request changes nothing until its steps' times (see ScheduledSteps). */
export function requestChanges(request: ChangeRequest, live: FlagState | undefined): Change[] {
  const fields = Object.keys(request.changes) as (keyof FlagState)[];
  if (request.status !== "pending" || !live) return diffValues({}, request.changes);
  const before = Object.fromEntries(fields.map((f) => [f, live[f]]));
  return diffValues(before, request.changes);
}

/** The flag changed since the request was filed: approving now would conflict rather than apply. */
export const overtaken = (request: ChangeRequest, live: FlagState | undefined) =>
  request.status === "pending" && live !== undefined && live.version !== request.baseVersion;
