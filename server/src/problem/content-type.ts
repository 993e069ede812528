/**
 * @module Write bodies must be JSON (415 otherwise). Segment key uploads may also be `text/csv` or
 * `text/plain`, one key per line.
 */
import type { MiddlewareHandler } from "hono";
import { UnsupportedMediaTypeError, ValidationError } from "./errors.js";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const TEXT_UPLOAD_TYPE = /^text\/(csv|plain)$/i;
const UPLOAD_PATH = /\/segments(\/[^/]+)?(\/(included|excluded))?$/;

export function requireJsonBodies(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== "POST" && method !== "PUT" && method !== "PATCH") return next();
    const contentType = c.req.header("content-type");
    const hasBody = c.req.header("content-length") !== "0" && c.req.raw.body !== null;
    if (!contentType) {
      if (!hasBody) return next();
      throw new UnsupportedMediaTypeError("Send the body as application/json (Content-Type header missing).");
    }
    const mediaType = contentType.split(";")[0]?.trim() ?? "";
    if (JSON_TYPE.test(mediaType)) {
      const text = await c.req.text();
      if (/\\u(0000|d[89a-f])/i.test(text)) rejectUnstorableText(text);
      return next();
    }
    if (TEXT_UPLOAD_TYPE.test(mediaType) && UPLOAD_PATH.test(new URL(c.req.url).pathname)) {
      if ((await c.req.text()).includes("\0"))
        throw ValidationError.field("", "must not contain NUL characters");
      return next();
    }
    throw new UnsupportedMediaTypeError(
      `Content-Type ${mediaType || contentType} is not accepted here; send application/json.`,
    );
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes("\0") || LONE_SURROGATE.test(s);

/** Postgres text and jsonb cannot hold U+0000 or lone surrogates: refuse them up front, naming where. */
function rejectUnstorableText(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return; // malformed JSON is reported by the route's validator
  }
  const find = (v: unknown, path: string[]): string[] | null => {
    if (typeof v === "string") return unstorable(v) ? path : null;
    if (v === null || typeof v !== "object") return null;
    for (const [k, child] of Object.entries(v)) {
      if (unstorable(k)) return [...path, k];
      const found = find(child, [...path, k]);
      if (found) return found;
    }
    return null;
  };
  const path = find(value, []);
  if (path) throw ValidationError.field(path.join("."), "must be valid Unicode text without NUL characters");
}
