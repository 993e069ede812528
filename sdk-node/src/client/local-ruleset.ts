/**
 * @module Rules available before the server answers: a bootstrap (object or file) and the copy persisted
 * by an earlier run. The newer one is tried first; the other is the fallback if it fails validation.
 */
import { ownerFingerprint, readRulesetFile } from "../cache/ruleset-file.js";
import type { RulesetSource } from "./events.js";
import type { ResolvedOptions } from "./options.js";

export interface LocalRuleset {
  ruleset: unknown;
  etag: string | undefined;
  source: Exclude<RulesetSource, "server">;
  /** Our own intact cache file: compiled without validating it again. */
  trusted: boolean;
}

/** Candidates, best first. Unreadable files are reported through `onError` and skipped. */
export function localRulesets(
  options: Pick<ResolvedOptions, "bootstrap" | "persistPath" | "baseUrl" | "sdkKey">,
  onError: (error: Error) => void,
): LocalRuleset[] {
  const candidates: LocalRuleset[] = [];
  const read = (path: string, source: LocalRuleset["source"], owner?: string) => {
    try {
      const content = readRulesetFile(path, owner);
      const trusted = content?.trusted === true;
      if (content) candidates.push({ ruleset: content.ruleset, etag: content.etag, source, trusted });
      else if (source === "bootstrap") onError(new Error(`bootstrap file ${path} does not exist`));
    } catch (error) {
      onError(error as Error);
    }
  };
  // The persisted copy must be this server's and key's; a bootstrap file is whatever the app was given.
  if (options.persistPath)
    read(options.persistPath, "persisted", ownerFingerprint(options.baseUrl, options.sdkKey));
  if (typeof options.bootstrap === "string") read(options.bootstrap, "bootstrap");
  else if (options.bootstrap)
    candidates.push({ ruleset: options.bootstrap, etag: undefined, source: "bootstrap", trusted: false });
  // Newest version first; on a tie the persisted copy (it was the server's) wins, being first already.
  return candidates.sort((a, b) => versionOf(b.ruleset) - versionOf(a.ruleset));
}

function versionOf(ruleset: unknown): number {
  const version = (ruleset as { version?: unknown } | null)?.version;
  return typeof version === "number" ? version : Number.NEGATIVE_INFINITY;
}
