/** Small builders for core's tests. */
import { BUCKET_COUNT, type Flag, type Ruleset, type Segment } from "./model.js";

export const BOOLEAN = [
  { key: "on", value: true },
  { key: "off", value: false },
];

export function booleanFlag(key: string, extra: Partial<Flag> = {}): Flag {
  return {
    key,
    kind: "boolean",
    variations: BOOLEAN,
    version: 1,
    salt: key,
    on: true,
    offVariation: "off",
    fallthrough: { variation: "on" },
    ...extra,
  };
}

/** A rollout serving `on` to `percent`% of users. */
export function percentOn(percent: number) {
  const on = Math.round((percent / 100) * BUCKET_COUNT);
  return {
    rollout: {
      weights: [
        { variation: "on", weight: on },
        { variation: "off", weight: BUCKET_COUNT - on },
      ],
    },
  };
}

export function ruleset(flags: Flag[], segments: Segment[] = []): Ruleset {
  return { formatVersion: 1, environment: "test", version: 1, flags, segments };
}
