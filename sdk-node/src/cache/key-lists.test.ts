import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { booleanFlag, ruleset, segment } from "../testing/rulesets.js";
import { SDK_NAME } from "../version.js";
import { decodeRulesetFile, encodeCacheFile } from "./cache-format.js";

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** A ruleset whose lists are big enough to be stored out of the JSON, and some that must not be. */
function withBigLists() {
  const pilots = [...keys("pilot", 99), "ünïcødé-😀", ""];
  const flag = booleanFlag("checkout", true, 1, {
    targets: [
      { variation: "on", values: pilots },
      { variation: "off", values: ["only-one"] },
      { variation: "off", values: [...keys("lone", 70), "broken-\uD800"] },
    ],
  });
  const beta = { ...segment("beta", keys("member", 10_000)), excluded: [...keys("out", 80), "a\nb"] };
  return ruleset(4, [booleanFlag("plain", false), flag], [segment("tiny", ["x"]), beta]);
}

describe("key lists out of the cache file's JSON", () => {
  it("round-trips exactly, moving out only the lists that join and split back unchanged", () => {
    const rules = withBigLists();
    const file = encodeCacheFile(rules, {});
    expect(decodeRulesetFile(file)).toMatchObject({ ruleset: rules, trusted: true });
    const [, headerLine, json] = file.toString().split("\n", 3) as [string, string, string];
    const header = JSON.parse(headerLine) as { lists: unknown[]; json: number };
    // The pilots and the members are out; a list with a newline or a lone surrogate, or a short one, stays.
    expect(header.lists).toEqual([
      { segment: 1, field: "included", count: 10_000, bytes: expect.any(Number) },
      { flag: 1, target: 0, count: 101, bytes: expect.any(Number) },
    ]);
    expect(json).not.toContain("member-1");
    expect(file.toString()).toContain('"broken-\\ud800"');
  });

  it("moves every list out when asked, still round-tripping", () => {
    const rules = withBigLists();
    expect(decodeRulesetFile(encodeCacheFile(rules, { minListLength: 1 })).ruleset).toEqual(rules);
  });

  it.each([
    ["a list's key count", (h: string) => h.replace('"count":101', '"count":102')],
    ["a list's place", (h: string) => h.replace('"field":"included"', '"field":"excluded"')],
    ["a list's size", (h: string) => h.replace(/"count":101,"bytes":(\d+)/, '"count":101,"bytes":1$1')],
    ["the JSON's length", (h: string) => h.replace(/"json":(\d+)/, '"json":1$1')],
    ["the lists, removed", (h: string) => h.replace(/,"json":\d+,"lists":\[.*\]/, "")],
  ])("refuses a file whose header is edited in %s", (_what, edit) => {
    const [magic, header, ...body] = encodeCacheFile(withBigLists(), {}).toString().split("\n");
    const edited = edit(header as string);
    expect(edited).not.toBe(header);
    expect(() => decodeRulesetFile(Buffer.from([magic, edited, ...body].join("\n")))).toThrow(
      /checksum|lacks the JSON part's length/,
    );
  });

  it("still reads a version-2 file (no lists: the body is all JSON, its checksum the body's)", () => {
    const rules = withBigLists();
    const body = JSON.stringify(rules);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const header = {
      sdk: SDK_NAME,
      environment: "production",
      version: 4,
      savedAt: 1,
      bytes: Buffer.byteLength(body),
      sha256,
    };
    const v2 = Buffer.from(`switchyard-ruleset-cache 2\n${JSON.stringify(header)}\n${body}`);
    expect(decodeRulesetFile(v2)).toEqual({ ruleset: rules, savedAt: 1, trusted: true });
  });
});
