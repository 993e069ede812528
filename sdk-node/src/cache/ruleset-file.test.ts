import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_FILE_VERSION, RulesetPersister, readRulesetFile, writeRulesetFile } from "./ruleset-file.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sdk-node-cache-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("ruleset file", () => {
  it("round-trips a ruleset with its etag, creating the folder", async () => {
    const path = join(tempDir(), "nested", "flags.json");
    await writeRulesetFile(path, { ruleset: { version: 3 }, etag: '"v3"', savedAt: 42 });
    expect(readRulesetFile(path)).toEqual({ ruleset: { version: 3 }, etag: '"v3"', savedAt: 42 });
    expect(JSON.parse(readFileSync(path, "utf8")).cacheVersion).toBe(CACHE_FILE_VERSION);
  });

  it("reads a bare ruleset (a bootstrap file) and reports a missing file as undefined", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bare.json"), JSON.stringify({ version: 1, flags: [] }));
    expect(readRulesetFile(join(dir, "bare.json"))).toEqual({ ruleset: { version: 1, flags: [] } });
    expect(readRulesetFile(join(dir, "missing.json"))).toBeUndefined();
  });

  it("explains a corrupt file and an unknown cache version", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "torn.json"), '{"format":"switchyard-ruleset-cache","rules');
    expect(() => readRulesetFile(join(dir, "torn.json"))).toThrow(/not valid JSON/);
    writeFileSync(
      join(dir, "future.json"),
      JSON.stringify({ format: "switchyard-ruleset-cache", cacheVersion: 99 }),
    );
    expect(() => readRulesetFile(join(dir, "future.json"))).toThrow(/cache version 99/);
  });

  it("coalesces bursts of saves, leaves no temp files and ends on the newest", async () => {
    const dir = tempDir();
    const path = join(dir, "flags.json");
    const errors: Error[] = [];
    const persister = new RulesetPersister(path, (e) => errors.push(e));
    for (let version = 1; version <= 50; version++) persister.save({ ruleset: { version } });
    await persister.flush();
    expect(readRulesetFile(path)?.ruleset).toEqual({ version: 50 });
    expect(readdirSync(dir)).toEqual(["flags.json"]);
    expect(errors).toEqual([]);
  });

  it("reports a write that fails without throwing", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    const errors: Error[] = [];
    const persister = new RulesetPersister(join(dir, "file", "flags.json"), (e) => errors.push(e));
    persister.save({ ruleset: {} });
    await persister.flush();
    expect(errors[0]?.message).toMatch(/cannot persist ruleset/);
  });
});
