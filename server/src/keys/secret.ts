/**
 * @module API key secrets: `sy_<kind>_<43 chars of base64url>` (32 random bytes). Only the SHA-256 of a
 * secret is stored: secrets are 256-bit random, so a fast hash is enough (no password stretching needed).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyKind } from "../db/schema.js";

export const API_KEY_KINDS = ["admin", "server", "client"] as const satisfies readonly ApiKeyKind[];
/**
 * Generated secrets carry 43 characters; a chosen admin token (`adminToken`, `SWITCHYARD_ADMIN_TOKEN`) may
 * carry 32 to 128, so pipelines can inject their own.
 */
const SECRET_PATTERN = /^sy_(admin|server|client)_[A-Za-z0-9_-]{32,128}$/;
export const KEY_PREFIX_LENGTH = 16;

export function generateSecret(kind: ApiKeyKind): string {
  return `sy_${kind}_${randomBytes(32).toString("base64url")}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function prefixOf(secret: string): string {
  return secret.slice(0, KEY_PREFIX_LENGTH);
}

/** The kind a well-formed secret claims, or null if it is not a Switchyard key at all. */
export function kindOf(secret: string): ApiKeyKind | null {
  const match = SECRET_PATTERN.exec(secret);
  return match ? (match[1] as ApiKeyKind) : null;
}
