/**
 * @module Small rulesets for the SDK's tests, written in the wire format (core's model).
 */
import type { Flag, Ruleset, RulesetDelta, Segment } from "@switchyard/core";

export function booleanFlag(key: string, on: boolean, version = 1, extra: Partial<Flag> = {}): Flag {
  return {
    key,
    kind: "boolean",
    variations: [
      { key: "on", value: true },
      { key: "off", value: false },
    ],
    version,
    salt: `${key}-salt`,
    on,
    offVariation: "off",
    fallthrough: { variation: "on" },
    ...extra,
  };
}

export function stringFlag(key: string, value: string, version = 1): Flag {
  return {
    key,
    kind: "string",
    variations: [
      { key: "default", value: "light" },
      { key: "chosen", value },
    ],
    version,
    salt: `${key}-salt`,
    on: true,
    offVariation: "default",
    fallthrough: { variation: "chosen" },
  };
}

export function segment(key: string, included: string[], version = 1): Segment {
  return { key, version, included };
}

export function ruleset(
  version: number,
  flags: Flag[],
  segments: Segment[] = [],
  environment = "production",
): Ruleset {
  return { formatVersion: 1, environment, version, flags, segments };
}

export function delta(
  fromVersion: number,
  version: number,
  flags: RulesetDelta["flags"],
  segments?: RulesetDelta["segments"],
  environment = "production",
): RulesetDelta {
  return { formatVersion: 1, environment, fromVersion, version, flags, segments };
}
