import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../client/switchyard-client.js";
import { booleanFlag, ruleset } from "../testing/rulesets.js";
import { SDK_NAME } from "../version.js";
import { encodeCacheFile } from "./cache-format.js";
import {
  CACHE_FILE_VERSION,
  ownerFingerprint,
  RulesetPersister,
  readRulesetFile,
  writeRulesetFile,
} from "./ruleset-file.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sdk-node-cache-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const url = "http://127.0.0.1:9";
const owner = ownerFingerprint(url, "key-production");
const rules = ruleset(3, [booleanFlag("checkout", true)]);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A cache file as the client writes it, then `change`d; its path. */
function cacheFile(
  change: (text: string) => string = (t) => t,
  content = encodeCacheFile(rules, { owner }).toString(),
) {
  const path = join(tempDir(), "flags.json");
  writeFileSync(path, change(content));
  return path;
}

describe("ruleset file", () => {
  it("round-trips a ruleset with its etag, creating the folder, and trusts it", async () => {
    const path = join(tempDir(), "nested", "flags.json");
    await writeRulesetFile(path, { ruleset: rules, etag: '"v3"', savedAt: 42, owner });
    expect(readRulesetFile(path, owner)).toEqual({
      ruleset: rules,
      etag: '"v3"',
      savedAt: 42,
      trusted: true,
    });
    expect(readFileSync(path, "utf8").split("\n")[0]).toBe(`switchyard-ruleset-cache ${CACHE_FILE_VERSION}`);
  });

  it("refuses to write a ruleset that fails validation (a client trusts intact files)", async () => {
    const path = join(tempDir(), "flags.json");
    await expect(writeRulesetFile(path, { ruleset: { version: 1 } })).rejects.toThrow(/invalid ruleset/);
    expect(readRulesetFile(path)).toBeUndefined();
  });

  it("reads a bare ruleset (a bootstrap file) and a version-1 envelope untrusted; a missing file is undefined", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bare.json"), JSON.stringify(rules, null, 2));
    expect(readRulesetFile(join(dir, "bare.json"))).toEqual({ ruleset: rules });
    const v1 = {
      format: "switchyard-ruleset-cache",
      cacheVersion: 1,
      etag: '"e"',
      savedAt: 1,
      ruleset: rules,
    };
    writeFileSync(join(dir, "v1.json"), JSON.stringify(v1));
    expect(readRulesetFile(join(dir, "v1.json"))).toEqual({ ruleset: rules, etag: '"e"', savedAt: 1 });
    expect(readRulesetFile(join(dir, "missing.json"))).toBeUndefined();
  });

  it("does not trust a file another SDK version wrote: it is validated in full", () => {
    const path = cacheFile((t) => t.replace(JSON.stringify(SDK_NAME), '"sdk-node/0.0.1"'));
    expect(readRulesetFile(path, owner)).toMatchObject({ ruleset: rules, trusted: false });
  });

  it.each([
    ["corrupt JSON", () => cacheFile(() => '{"format":"switchyard-ruleset-cache","rules'), /not valid JSON/],
    ["truncated", () => cacheFile((t) => t.slice(0, -20)), /truncated or extended/],
    ["cut in its header", () => cacheFile((t) => t.slice(0, 40)), /truncated cache file: no header/],
    ["a torn header", () => cacheFile((t) => t.replace('{"sdk"', '{"sdk')), /header is not JSON/],
    ["edited (checksum mismatch)", () => cacheFile((t) => t.replace('"on":true', '"on":fals')), /checksum/],
    [
      "a newer format version",
      () => cacheFile((t) => t.replace(`cache ${CACHE_FILE_VERSION}\n`, "cache 9\n")),
      /version 9/,
    ],
    [
      "a future version-1-style envelope",
      () => cacheFile(() => JSON.stringify({ format: "switchyard-ruleset-cache", cacheVersion: 99 })),
      /cache version 99/,
    ],
    [
      "another environment's (another key's) file",
      () =>
        cacheFile(
          undefined,
          encodeCacheFile(ruleset(3, [], [], "staging"), { owner: "0123456789abcdef" }).toString(),
        ),
      /environment 'staging' of another server or SDK key/,
    ],
  ])("refuses a file that is %s, saying why", (_what, make, reason) => {
    expect(() => readRulesetFile(make(), owner)).toThrow(reason);
  });

  it("coalesces bursts of saves, leaves no temp files and ends on the newest", async () => {
    const dir = tempDir();
    const path = join(dir, "flags.json");
    const errors: Error[] = [];
    const persister = new RulesetPersister(path, owner, (e) => errors.push(e));
    for (let version = 1; version <= 50; version++) persister.save({ ruleset: ruleset(version, []) });
    await persister.flush();
    expect(readRulesetFile(path, owner)?.ruleset).toEqual(ruleset(50, []));
    expect(readdirSync(dir)).toEqual(["flags.json"]);
    expect(errors).toEqual([]);
  });

  it("reports a write that fails without throwing", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    const errors: Error[] = [];
    const persister = new RulesetPersister(join(dir, "file", "flags.json"), owner, (e) => errors.push(e));
    persister.save({ ruleset: rules });
    await persister.flush();
    expect(errors[0]?.message).toMatch(/cannot persist ruleset/);
  });
});

describe("a client starting from a persisted file it cannot use", () => {
  const broken = [
    ["truncated", (t: string) => t.slice(0, -20)],
    ["edited", (t: string) => t.replace('"on":true', '"on":fals')],
    ["of another format version", (t: string) => t.replace(`cache ${CACHE_FILE_VERSION}\n`, "cache 7\n")],
    ["empty", () => ""],
  ] as const;

  it.each(broken)("ignores one that is %s with an error event, never a crash", async (_what, change) => {
    const client = createClient({
      url,
      sdkKey: "key-production",
      offline: true,
      persistPath: cacheFile(change),
    });
    const errors: Error[] = [];
    client.on("error", (e) => errors.push(e));
    await expect(client.ready()).rejects.toThrow(/ruleset file .* ignored/);
    expect(errors[0]?.message).toMatch(/ruleset file .* ignored/);
    expect(client.detail("checkout", {}, false)).toMatchObject({ value: false, reason: "ERROR" });
    await client.close();
  });

  it("ignores another key's file and serves the bootstrap instead", async () => {
    const client = createClient({
      url,
      sdkKey: "key-staging",
      offline: true,
      persistPath: cacheFile(),
      bootstrap: ruleset(1, [booleanFlag("checkout", false)]),
      logger: silent,
    });
    const errors: Error[] = [];
    client.on("error", (e) => errors.push(e));
    await client.ready();
    expect(client.boolean("checkout", {}, true)).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(errors[0]?.message).toMatch(/another server or SDK key/);
    await client.close();
  });

  it("starts from its own file, trusted, with the same answers", async () => {
    const client = createClient({ url, sdkKey: "key-production", offline: true, persistPath: cacheFile() });
    await client.ready();
    expect(client.detail("checkout", { targetingKey: "u" }, false)).toMatchObject({ value: true });
    await client.close();
  });
});
