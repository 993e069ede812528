/**
 * @module The one schema for ids in paths and queries: resource keys (flag, environment, segment), numeric
 * ids and cursors. Bounded, so an over-long or malformed id is a 400 naming the parameter before it can
 * reach the database (Postgres rejects NUL bytes and integers past int4 with errors, not answers).
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { KEY_PATTERN } from "../flags/rule-schemas.js";
import { parseOrThrow } from "./zod.js";

/** Largest value of a Postgres `integer` (serial ids). */
export const MAX_ID = 2_147_483_647;

export const pathKey = (what: string) =>
  z
    .string()
    .max(100)
    .regex(KEY_PATTERN, `is not a valid ${what} key (1–100 letters, digits, '.', '_' or '-')`);

export const pathId = z.coerce
  .number({ error: "must be a positive whole number" })
  .int("must be a positive whole number")
  .positive("must be a positive whole number")
  .max(MAX_ID, `must be at most ${MAX_ID}`);

/** Opaque cursors this server issues are short; anything longer cannot be one. */
export const cursorParam = z.string().max(100);

export const EnvParam = z.object({ env: pathKey("environment") });
export const FlagParam = z.object({ flag: pathKey("flag") });
export const EnvFlagParam = EnvParam.extend({ flag: pathKey("flag") });
export const SegmentParam = EnvParam.extend({ segment: pathKey("segment") });
export const IdParam = z.object({ id: pathId });
export const EnvFlagIdParam = EnvFlagParam.extend({ id: pathId });

/** For plain Hono routes: the path parameters parsed with one of the schemas above, or a 400 naming them. */
export function pathParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOrThrow(schema, c.req.param(), "path");
}
