/**
 * @module The persisted-ruleset file format, cheap to load. A file is
 *
 *     switchyard-ruleset-cache 2\n
 *     {"sdk":…,"owner":…,"environment":…,"version":…,"etag":…,"savedAt":…,"bytes":…,"sha256":…}\n
 *     <the ruleset as JSON>
 *
 * Only rulesets that passed full validation are written, so a file whose body matches its length and
 * checksum, written by this same SDK version, is compiled without validating it again (core's
 * `compileTrustedRuleset`) — validation was half the start-up time. Anything else about a file makes it
 * either untrusted (validated in full: a bare ruleset, a version-1 envelope, another SDK version's file) or
 * refused with a reason (another major format, a torn or edited body, another SDK key's file).
 */
import { createHash } from "node:crypto";
import type { Ruleset } from "@switchyard/core";
import { SDK_NAME } from "../version.js";

/** Bump when the layout changes; files of another version are refused, not misread. */
export const CACHE_FILE_VERSION = 2;
const MAGIC = "switchyard-ruleset-cache";
/** The envelope of version 1: one JSON object, its ruleset validated in full when read. */
const V1_FORMAT = MAGIC;

export interface RulesetFileContent {
  /** The ruleset (validated again when loaded, unless `trusted`). */
  ruleset: unknown;
  etag?: string;
  /** Epoch ms when it was written. */
  savedAt?: number;
  /** Our own intact file, written after validation by this SDK version: compile without validating. */
  trusted?: boolean;
}

interface Header {
  sdk: string;
  /** Fingerprint of the server URL and SDK key the ruleset came with; absent for files written by hand. */
  owner?: string;
  environment: string;
  version: number;
  etag?: string;
  savedAt: number;
  bytes: number;
  sha256: string;
}

/** Names the server and key without storing the key: a 64-bit prefix of a SHA-256. */
export function ownerFingerprint(url: string, sdkKey: string): string {
  return sha256(Buffer.from(`${url}\n${sdkKey}`)).slice(0, 16);
}

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

/** The file's text for a ruleset that has passed validation. */
export function encodeCacheFile(
  ruleset: Ruleset,
  meta: { etag?: string; savedAt?: number; owner?: string },
): string {
  const body = Buffer.from(JSON.stringify(ruleset));
  const header: Header = {
    sdk: SDK_NAME,
    owner: meta.owner,
    environment: ruleset.environment,
    version: ruleset.version,
    etag: meta.etag,
    savedAt: meta.savedAt ?? Date.now(),
    bytes: body.length,
    sha256: sha256(body),
  };
  return `${MAGIC} ${CACHE_FILE_VERSION}\n${JSON.stringify(header)}\n${body.toString("utf8")}`;
}

/**
 * Reads a file's bytes: our cache file, a version-1 envelope or a bare ruleset (a bootstrap exported from
 * the server). Throws with the reason a file cannot be used; `owner` (when known) must match the file's.
 */
export function decodeRulesetFile(bytes: Buffer, owner?: string): RulesetFileContent {
  if (bytes.subarray(0, MAGIC.length + 1).toString("latin1") !== `${MAGIC} `) return decodeJson(bytes);
  const firstEnd = bytes.indexOf(10);
  const secondEnd = firstEnd === -1 ? -1 : bytes.indexOf(10, firstEnd + 1);
  const version = bytes.subarray(MAGIC.length + 1, firstEnd === -1 ? 40 : firstEnd).toString("latin1");
  if (version !== String(CACHE_FILE_VERSION)) {
    throw new Error(`cache format version ${version.slice(0, 20)}; expected ${CACHE_FILE_VERSION}`);
  }
  if (secondEnd === -1) throw new Error("truncated cache file: no header");
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString("utf8")) as Header;
  } catch {
    throw new Error("corrupt cache file: its header is not JSON");
  }
  const body = bytes.subarray(secondEnd + 1);
  if (body.length !== header.bytes) {
    throw new Error(
      `truncated or extended cache file: ${body.length} bytes of ruleset, ${header.bytes} written`,
    );
  }
  if (sha256(body) !== header.sha256) throw new Error("corrupt cache file: checksum mismatch");
  if (owner !== undefined && header.owner !== undefined && header.owner !== owner) {
    throw new Error(
      `cache file holds environment '${header.environment}' of another server or SDK key; not used`,
    );
  }
  return {
    ruleset: JSON.parse(body.toString("utf8")),
    etag: header.etag,
    savedAt: header.savedAt,
    trusted: header.sdk === SDK_NAME,
  };
}

function decodeJson(bytes: Buffer): RulesetFileContent {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  const envelope = json as { format?: unknown; cacheVersion?: unknown } & RulesetFileContent;
  if (typeof json !== "object" || json === null || envelope.format !== V1_FORMAT) return { ruleset: json };
  if (envelope.cacheVersion !== 1) {
    throw new Error(`cache version ${String(envelope.cacheVersion)}; expected ${CACHE_FILE_VERSION}`);
  }
  return { ruleset: envelope.ruleset, etag: envelope.etag, savedAt: envelope.savedAt };
}
