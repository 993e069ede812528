/**
 * @module Optimistic concurrency. Every edit names the version it was based on (`If-Match: "<n>"` or a
 * `version` body field); a stale one is refused with 409 and the current state, so no editor silently
 * overwrites another's work.
 */
import type { Context } from "hono";
import { ConflictError, PreconditionRequiredError, ValidationError } from "../problem/errors.js";

/**
 * `If-Match: *` (HTTP's "whatever is there now"): the caller knowingly overwrites the current state,
 * e.g. automation that owns a flag outright.
 */
export const ANY_VERSION = "any" as const;

/** What an edit says it was based on: a version, `If-Match: *`, or nothing. */
export type BaseVersion = number | typeof ANY_VERSION | undefined;

/**
 * The base version from `If-Match` (`"3"`, `W/"3"` or `3`; `*` for {@link ANY_VERSION}) or the body's
 * `version`; undefined if neither.
 */
export function baseVersion(c: Context, bodyVersion?: number | null): BaseVersion {
  const header = c.req.header("if-match");
  if (header?.trim() === "*") return ANY_VERSION;
  if (header !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
    if (!match) throw ValidationError.field("If-Match", 'must be a version such as "3"');
    const fromHeader = Number(match[1]);
    if (bodyVersion != null && bodyVersion !== fromHeader) {
      throw ValidationError.field("version", "disagrees with the If-Match header");
    }
    return fromHeader;
  }
  return bodyVersion ?? undefined;
}

/**
 * Throws unless `base` equals the current version. `current` (the resource as the API shows it) goes into
 * the problem so the client can merge and retry.
 */
export function assertVersion(base: BaseVersion, currentVersion: number, current: unknown): void {
  if (base === ANY_VERSION) return;
  if (base === undefined) {
    throw new PreconditionRequiredError(
      `Send the version you based this edit on (If-Match: "${currentVersion}" or "version": ${currentVersion}; If-Match: * overwrites whatever is there).`,
      current,
    );
  }
  if (base !== currentVersion) {
    throw new ConflictError(
      `This was changed since version ${base}; the current version is ${currentVersion}. Review and retry.`,
      current,
    );
  }
}
