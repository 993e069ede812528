/**
 * @module Dates for `before`/`after`: epoch milliseconds, `Date`s, or ISO 8601 strings — always in UTC.
 * `Date.parse` reads a date-time without a zone in the machine's local time and accepts whatever else the
 * engine likes ("Jan 1 2026"), so the same ruleset would answer differently in two time zones or two
 * browsers. Here a string is ISO 8601 or nothing, and one without a zone is UTC.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = zone.length > 3 ? Number(zone.slice(-2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Epoch milliseconds of an ISO 8601 date or date-time (UTC when it names no zone); undefined otherwise. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const field = (i: number) => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [
    field(1),
    field(2),
    field(3),
    field(4),
    field(5),
    field(6),
  ];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && !leap ? 28 : DAYS[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const offset = zoneOffsetMs(m[8]);
  if (offset === undefined) return undefined;
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // Date.UTC maps years 0..99 to 1900..1999
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offset;
}

/** A context or clause value as epoch milliseconds, or undefined when it is not a date. */
export function toTime(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string") return parseIsoDate(value);
  if (value instanceof Date) return toTime(value.getTime());
  return undefined;
}
