/**
 * @module Dates for `before`/`after` in browsers (core's package.json `browser` map swaps it in for
 * dates.ts): the same ISO 8601 grammar, always UTC without a zone, with the calendar checked by letting a
 * `Date` build the day and seeing whether it kept it (Feb 30 becomes Mar 2) instead of a table of months.
 * A property test holds it to dates.ts on every date, date-time, zone and number, valid or not.
 */
import type * as Dates from "./dates.js";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** The match's groups as numbers (0 when absent); the fraction and the zone's sign are read as text. */
type Fields = [unknown, number, number, number, number, number, number, unknown, unknown, number, number];

export const parseIsoDate: typeof Dates.parseIsoDate = (text) => {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, , , zoneHours, zoneMinutes] = m.map(
    (g) => +(g ?? 0),
  ) as Fields;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // Date.UTC maps years 0..99 to 1900..1999
  if (utc.getUTCDate() !== day || utc.getUTCMonth() !== month - 1) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || zoneHours > 23 || zoneMinutes > 59) return undefined;
  utc.setUTCHours(hour, minute, second, m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0);
  const offset = (zoneHours * 60 + zoneMinutes) * 60_000;
  return utc.getTime() - (m[8] === "-" ? -offset : offset);
};

export const toTime: typeof Dates.toTime = (value) => {
  const v = value instanceof Date ? value.getTime() : value;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  return typeof v === "string" ? parseIsoDate(v) : undefined;
};
