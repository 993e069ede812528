/**
 * @module The admin UI's overview as one compact answer: every unarchived flag's metadata (one narrow
 * query) and a cell per environment computed from the in-memory rulesets the server already holds. Its
 * ETag comes from the flags' version and each environment's ruleset version, so a poll that finds
 * nothing new costs two tiny queries and a 304; the body is built, serialised and gzipped once per
 * version.
 */
import { gzipSync } from "node:zlib";
import type { Flag } from "@switchyard/core";
import type { AppDeps, PublishedRuleset } from "../deps.js";
import { sha256 } from "../promotion/setup.js";
import { cellOf, type OverviewCell } from "./cells.js";

export interface OverviewFlag {
  key: string;
  name: string;
  description: string;
  tags: string[];
  owner: string | null;
  temporary: boolean;
  /**
   * One per environment, in the order of {@link Overview.environments}: an index into
   * {@link Overview.cells}, or null when the flag has no state there.
   */
  cells: (number | null)[];
}

export interface Overview {
  /** Environment keys in release order. */
  environments: string[];
  /** Each distinct cell once: thousands of flags share a handful ("off → false"). */
  cells: OverviewCell[];
  flags: OverviewFlag[];
}

type FlagRow = Omit<OverviewFlag, "cells">;

export interface OverviewSnapshot {
  etag: string;
  json: string;
  gzip: Uint8Array;
}

type Deps = Pick<AppDeps, "db" | "rulesets">;

/** How long a read waits for this instance's rulesets to catch up with a commit it was told of. */
const CATCH_UP_MS = 2_000;

/** The rulesets to read, once they hold at least what the database has committed (read-your-writes). */
async function currentRulesets(deps: Deps): Promise<PublishedRuleset[]> {
  const environments = await deps.db
    .selectFrom("environments")
    .select(["key", "ruleset_version"])
    .orderBy("sort_order")
    .orderBy("key")
    .execute();
  await Promise.all(
    environments.map((e) =>
      // On timeout the overview shows what this instance holds; its ETag says so, and the next poll
      // catches up.
      deps.rulesets.waitForVersion(e.key, e.ruleset_version, CATCH_UP_MS).catch(() => undefined),
    ),
  );
  return environments
    .map((e) => deps.rulesets.server(e.key))
    .filter((r): r is PublishedRuleset => r !== undefined);
}

/** Every definition edit bumps its flag's version and a new flag adds a row: count and sum both move. */
async function flagsVersion(deps: Deps): Promise<string> {
  const row = await deps.db
    .selectFrom("flags")
    .select((eb) => [eb.fn.countAll().as("count"), eb.fn.sum("version").as("sum")])
    .executeTakeFirstOrThrow();
  return `${Number(row.count)}.${Number(row.sum ?? 0)}`;
}

/** Weak: the same overview goes out gzipped or not. */
function etagOf(flags: string, rulesets: PublishedRuleset[]): string {
  const versions = rulesets.map((r) => `${r.environment}@${r.version}`).join(",");
  return `W/"ov-${sha256(`${flags}|${versions}`).slice(0, 20)}"`;
}

async function readFlags(deps: Deps): Promise<FlagRow[]> {
  return deps.db
    .selectFrom("flags")
    .select(["key", "name", "description", "tags", "owner", "temporary"])
    .where("archived_at", "is", null)
    .orderBy("key")
    .execute();
}

// Cells outlive a build (they are memoised per ruleset flag), and so does their serialised form.
const serialised = new WeakMap<OverviewCell, string>();
function serialise(cell: OverviewCell): string {
  let json = serialised.get(cell);
  if (json === undefined) {
    json = JSON.stringify(cell);
    serialised.set(cell, json);
  }
  return json;
}

function buildOverview(rows: FlagRow[], rulesets: PublishedRuleset[]): Overview {
  const byEnvironment = rulesets.map((r) => new Map<string, Flag>(r.ruleset.flags.map((f) => [f.key, f])));
  const cells: OverviewCell[] = [];
  const indexOf = new Map<string, number>();
  const index = (cell: OverviewCell) => {
    const json = serialise(cell);
    let i = indexOf.get(json);
    if (i === undefined) {
      i = cells.push(cell) - 1;
      indexOf.set(json, i);
    }
    return i;
  };
  return {
    environments: rulesets.map((r) => r.environment),
    cells,
    flags: rows.map((row) => ({
      ...row,
      cells: byEnvironment.map((flags) => {
        const flag = flags.get(row.key);
        return flag ? index(cellOf(flag)) : null;
      }),
    })),
  };
}

/**
 * The overview source of one app: `current()` is cheap (enough for a 304); `snapshot()` builds the
 * body for that version, or reuses the last one built.
 */
export interface OverviewVersion {
  etag: string;
  flagsVersion: string;
  rulesets: PublishedRuleset[];
}

export function overviewSource(deps: Deps) {
  let last: OverviewSnapshot | undefined;
  // A state change leaves every flag's metadata as it was: it is read again only when flags change.
  let flags: { version: string; rows: FlagRow[] } | undefined;
  return {
    async current(): Promise<OverviewVersion> {
      const rulesets = await currentRulesets(deps);
      const version = await flagsVersion(deps);
      return { etag: etagOf(version, rulesets), flagsVersion: version, rulesets };
    },
    async snapshot(current: OverviewVersion): Promise<OverviewSnapshot> {
      if (last?.etag === current.etag) return last;
      if (flags?.version !== current.flagsVersion)
        flags = { version: current.flagsVersion, rows: await readFlags(deps) };
      const json = JSON.stringify(buildOverview(flags.rows, current.rulesets));
      const snapshot = { etag: current.etag, json, gzip: gzipSync(json, { level: 6 }) };
      last = snapshot;
      return snapshot;
    },
  };
}
