/**
 * @module The last good ruleset on disk, so a restarted app serves correct flags while the server is down.
 * Writes go to a temporary file in the same folder and are renamed over the target (atomic on POSIX):
 * a crash mid-write never leaves a torn file, and a file torn anyway (or edited) fails its checksum
 * (cache-format.ts).
 */
import { readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Ruleset, validateRuleset } from "@switchyard/core";
import { decodeRulesetFile, encodeCacheFile, type RulesetFileContent } from "./cache-format.js";

export { CACHE_FILE_VERSION, ownerFingerprint, type RulesetFileContent } from "./cache-format.js";

/**
 * Reads a ruleset file: our cache file or a bare ruleset (a bootstrap file exported from the server).
 * Synchronous on purpose: it runs once at start-up so the first evaluation already has rules. Returns
 * undefined when the file does not exist; throws with a clear message when it cannot be used (unreadable,
 * torn, edited, another format version, or — `owner` given — another server's or SDK key's file).
 */
export function readRulesetFile(path: string, owner?: string): RulesetFileContent | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ruleset file ${path}: ${(error as Error).message}`);
  }
  try {
    return decodeRulesetFile(bytes, owner);
  } catch (error) {
    throw new Error(`ruleset file ${path} ignored: ${(error as Error).message}`);
  }
}

export interface RulesetFileInput {
  ruleset: unknown;
  etag?: string;
  savedAt?: number;
  /** `ownerFingerprint(url, sdkKey)` of the client that may use it; absent, any client may. */
  owner?: string;
}

/**
 * Writes a ruleset file in the cache format (e.g. to seed a cache or ship a bootstrap). The ruleset is
 * validated first — a client trusts the files it finds intact — and an invalid one is refused.
 */
export async function writeRulesetFile(path: string, content: RulesetFileInput): Promise<void> {
  const valid = validateRuleset(content.ruleset);
  if (!valid.ok) throw new Error(`not writing an invalid ruleset: ${valid.errors.slice(0, 3).join("; ")}`);
  await writeValidated(path, { ...content, ruleset: valid.ruleset });
}

let tempCounter = 0;

/** Writes atomically (temp file in the same folder, then rename) a ruleset that passed validation. */
async function writeValidated(path: string, content: RulesetFileInput & { ruleset: Ruleset }) {
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(temp, encodeCacheFile(content.ruleset, content), { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Persists rulesets as they are applied. Writes never overlap and bursts coalesce: while one write runs,
 * only the newest pending ruleset is kept and written next.
 */
export class RulesetPersister {
  private next: { ruleset: Ruleset; etag?: string } | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly owner: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /** `ruleset` must be one the client validated (the one it serves): it is not validated again. */
  save(content: { ruleset: Ruleset; etag?: string }): void {
    this.next = content;
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const content = this.next;
      this.next = undefined;
      try {
        await writeValidated(this.path, { ...content, owner: this.owner });
      } catch (error) {
        this.onError(new Error(`cannot persist ruleset to ${this.path}: ${(error as Error).message}`));
      }
    }
    this.writing = undefined;
  }

  /** Resolves when everything saved so far is on disk. */
  async flush(): Promise<void> {
    await this.writing;
  }
}
