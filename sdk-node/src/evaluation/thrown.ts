/** @module Describing whatever was thrown, for an error message, without ever throwing in turn. */

/** The message of a thrown value; safe against hostile getters, revoked proxies and throwing `toString`s. */
export function messageOf(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return String(thrown.message);
    return String(thrown);
  } catch {
    return "an unprintable value was thrown";
  }
}
