/**
 * @module The persisted-ruleset file format, cheap to load. A file is
 *
 *     switchyard-ruleset-cache 3\n
 *     {"sdk":…,"owner":…,"environment":…,"version":…,"etag":…,"savedAt":…,"bytes":…,"sha256":…,"json":…,"lists":[…]}\n
 *     <the ruleset as JSON, its big key lists emptied><each of those lists, newline-joined>
 *
 * `bytes` is the body's length; `json` the length of its JSON part; `lists` says where each list goes back
 * (key-lists.ts); `sha256` covers the body, `json` and `lists`. Version 2 (no lists: the body is all JSON) is still read.
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
import { type ListRef, moveListsIn, moveListsOut } from "./key-lists.js";

/** Bump when the layout changes; files of another version are refused, not misread. */
export const CACHE_FILE_VERSION = 3;
/** Versions read: 2 is 3 without out-of-line lists. */
const READABLE_VERSIONS = new Set(["2", String(CACHE_FILE_VERSION)]);
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
  /** Bytes of the body's JSON part (version 3); the rest is the lists' texts. */
  json?: number;
  lists?: ListRef[];
}

/** Names the server and key without storing the key: a 64-bit prefix of a SHA-256. */
export function ownerFingerprint(url: string, sdkKey: string): string {
  return sha256(Buffer.from(`${url}\n${sdkKey}`)).slice(0, 16);
}

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

/** The checksum of a body, covering (version 3) the header's split of it too: an edited list ref is refused. */
function checksum(body: Buffer, header: Pick<Header, "json" | "lists">): string {
  const hash = createHash("sha256");
  if (header.json !== undefined) hash.update(`${header.json}\n${JSON.stringify(header.lists)}\n`);
  return hash.update(body).digest("hex");
}

/** The file's bytes for a ruleset that has passed validation. */
export function encodeCacheFile(
  ruleset: Ruleset,
  meta: { etag?: string; savedAt?: number; owner?: string; minListLength?: number },
): Buffer {
  const { inline, refs, texts } = moveListsOut(ruleset, meta.minListLength);
  const json = Buffer.from(JSON.stringify(inline));
  const body = Buffer.concat([json, ...texts]);
  const header: Header = {
    sdk: SDK_NAME,
    owner: meta.owner,
    environment: ruleset.environment,
    version: ruleset.version,
    etag: meta.etag,
    savedAt: meta.savedAt ?? Date.now(),
    bytes: body.length,
    sha256: checksum(body, { json: json.length, lists: refs }),
    json: json.length,
    lists: refs,
  };
  return Buffer.concat([Buffer.from(`${MAGIC} ${CACHE_FILE_VERSION}\n${JSON.stringify(header)}\n`), body]);
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
  if (!READABLE_VERSIONS.has(version)) {
    throw new Error(`cache format version ${version.slice(0, 20)}; expected ${CACHE_FILE_VERSION}`);
  }
  if (secondEnd === -1) throw new Error("truncated cache file: no header");
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString("utf8")) as Header;
  } catch {
    throw new Error("corrupt cache file: its header is not JSON");
  }
  if (version !== "2" && !Number.isSafeInteger(header.json)) {
    throw new Error("corrupt cache file: its header lacks the JSON part's length");
  }
  const body = bytes.subarray(secondEnd + 1);
  if (body.length !== header.bytes) {
    throw new Error(
      `truncated or extended cache file: ${body.length} bytes of ruleset, ${header.bytes} written`,
    );
  }
  if (checksum(body, header) !== header.sha256) throw new Error("corrupt cache file: checksum mismatch");
  if (owner !== undefined && header.owner !== undefined && header.owner !== owner) {
    throw new Error(
      `cache file holds environment '${header.environment}' of another server or SDK key; not used`,
    );
  }
  return {
    ruleset: parseBody(bytes, secondEnd + 1, header),
    etag: header.etag,
    savedAt: header.savedAt,
    trusted: header.sdk === SDK_NAME,
  };
}

/** The ruleset from an intact body starting at `start`: its JSON part, then its lists put back. */
function parseBody(bytes: Buffer, start: number, header: Header): unknown {
  const jsonEnd = start + (header.json ?? header.bytes);
  if (jsonEnd > bytes.length) throw new Error("corrupt cache file: its JSON length");
  const ruleset = JSON.parse(bytes.toString("utf8", start, jsonEnd)) as Ruleset;
  if (header.lists?.length) moveListsIn(ruleset, header.lists, bytes, jsonEnd);
  return ruleset;
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
