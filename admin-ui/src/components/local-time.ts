/**
 * @module `<input type="datetime-local">` speaks local wall-clock time without a zone ("2026-11-27T18:00");
 * the API speaks ISO instants. These convert between the two in the browser's time zone.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** The input's value for an instant, in local time, to the minute. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant an input's value names, as ISO; null for an empty or invalid value. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
