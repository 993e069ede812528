/** @module Exit codes a CI job can rely on, and the usage mistake that maps to one. */

export const EXIT = {
  /** Done: everything asked for is applied (or there was nothing to do). */
  ok: 0,
  /** The API refused or failed (its problem on stderr), or a promotion is blocked. */
  api: 1,
  /** A usage mistake: unknown command, missing or invalid option (the usage on stderr). */
  usage: 2,
  /** `--dry-run` found changes. */
  changes: 3,
  /**
   * Filed, not applied (yet): the environment requires approval, so edits became change requests, or the
   * promotion waits for its approval or soak gate. Nothing refused it; someone or time has to let it through.
   */
  pending: 4,
} as const;

export class UsageError extends Error {}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === "") throw new UsageError(`missing ${what}`);
  return value;
}
