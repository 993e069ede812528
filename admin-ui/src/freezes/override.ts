/**
 * @module Writing through a change freeze. The server refuses writes to a frozen environment with 423
 * (kills excepted); an admin may write anyway by sending a reason in this header, which the server
 * records in the audit entry (server/src/freezes/check.ts). Anyone else's header is ignored.
 */
import { ApiError } from "../api/client.js";

export const FREEZE_OVERRIDE_HEADER = "X-Switchyard-Freeze-Override";

/** Headers for a write that overrides a freeze with `reason`; none without a reason. */
export function overrideHeaders(reason?: string): Record<string, string> | undefined {
  const trimmed = reason?.trim();
  return trimmed ? { [FREEZE_OVERRIDE_HEADER]: trimmed } : undefined;
}

/** The write was refused because its environment is frozen. */
export function isFrozen(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 423;
}
