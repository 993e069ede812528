/** Small browser-safe rulesets for unit tests (raw keys: no `keyHashing`). */
import type { Flag, Ruleset } from "@switchyard/core";

export const boolFlag = (key: string, on: boolean, extra: Partial<Flag> = {}): Flag => ({
  key,
  kind: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
  version: 1,
  salt: key,
  clientVisible: true,
  on,
  offVariation: "off",
  fallthrough: { variation: "on" },
  ...extra,
});

/** `banner` serves "on" only to users whose `country` is NL; `checkout` is on for all; `theme` is a string. */
export function ruleset(version: number, overrides: Partial<Record<string, Flag>> = {}): Ruleset {
  const flags: Flag[] = [
    boolFlag("checkout", true),
    boolFlag("banner", true, {
      fallthrough: { variation: "off" },
      rules: [
        {
          id: "nl",
          clauses: [{ attribute: "country", op: "in", values: ["NL"] }],
          serve: { variation: "on" },
        },
      ],
    }),
    {
      key: "theme",
      kind: "string",
      variations: [
        { key: "light", value: "light" },
        { key: "dark", value: "dark" },
      ],
      version: 1,
      salt: "theme",
      clientVisible: true,
      on: true,
      offVariation: "light",
      fallthrough: { variation: "dark" },
    },
  ];
  return {
    formatVersion: 1,
    environment: "production",
    version,
    flags: flags.map((f) => overrides[f.key] ?? f),
    segments: [],
  };
}
