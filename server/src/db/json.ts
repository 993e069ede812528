/**
 * @module Writing jsonb. `pg` would send a JS array as a Postgres array literal, so every jsonb value is
 * sent as JSON text (both drivers pass text through and Postgres casts it to the column's jsonb).
 */

/** The value as JSON text, typed as the value so Kysely's column types still check it. */
export function jsonb<T>(value: T): T {
  return JSON.stringify(value ?? null) as unknown as T;
}
