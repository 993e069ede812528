/**
 * @module The last good ruleset on disk, so a restarted app serves correct flags while the server is down.
 * Writes go to a temporary file in the same folder and are renamed over the target (atomic on POSIX):
 * a crash mid-write never leaves a torn file. The envelope carries its own version.
 */
import { readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Bump when the envelope changes shape; older files are then ignored, not misread. */
export const CACHE_FILE_VERSION = 1;
const CACHE_FILE_FORMAT = "switchyard-ruleset-cache";

export interface RulesetFileContent {
  /** The ruleset as published by the server (validated again when loaded). */
  ruleset: unknown;
  etag?: string;
  /** Epoch ms when it was written. */
  savedAt?: number;
}

interface Envelope extends RulesetFileContent {
  format: typeof CACHE_FILE_FORMAT;
  cacheVersion: number;
}

/**
 * Reads a ruleset file: either our cache envelope or a bare ruleset (a bootstrap file exported from the
 * server). Synchronous on purpose: it runs once at start-up so the first evaluation already has rules.
 * Returns undefined when the file does not exist; throws with a clear message when it is unreadable.
 */
export function readRulesetFile(path: string): RulesetFileContent | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ruleset file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`ruleset file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (isEnvelope(json)) {
    if (json.cacheVersion !== CACHE_FILE_VERSION) {
      throw new Error(
        `ruleset file ${path} has cache version ${json.cacheVersion}; expected ${CACHE_FILE_VERSION}`,
      );
    }
    return { ruleset: json.ruleset, etag: json.etag, savedAt: json.savedAt };
  }
  return { ruleset: json };
}

function isEnvelope(json: unknown): json is Envelope {
  return typeof json === "object" && json !== null && (json as Envelope).format === CACHE_FILE_FORMAT;
}

let tempCounter = 0;

/** Writes atomically: temp file in the same folder, then rename over the target. */
export async function writeRulesetFile(path: string, content: RulesetFileContent): Promise<void> {
  const envelope: Envelope = {
    format: CACHE_FILE_FORMAT,
    cacheVersion: CACHE_FILE_VERSION,
    savedAt: content.savedAt ?? Date.now(),
    etag: content.etag,
    ruleset: content.ruleset,
  };
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(temp, JSON.stringify(envelope), { mode: 0o600 });
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
  private next: RulesetFileContent | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly onError: (error: Error) => void,
  ) {}

  save(content: RulesetFileContent): void {
    this.next = content;
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const content = this.next;
      this.next = undefined;
      try {
        await writeRulesetFile(this.path, content);
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
