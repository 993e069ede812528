/**
 * @module Whether a flag's guards are tripped in an environment, as the soak gate asks it. The guard
 * status module (`src/guards/status.ts`) is not part of the server yet, so this answers "no guard is
 * tripped" for every flag: until guards exist, a soak gate waits on time and shadow mismatches only.
 * When guards land, this module delegates to them and the soak gate needs no change.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

export type GuardCheck = (db: Kysely<Database>, environment: string, flag: string) => Promise<boolean>;

export const guardsTripped: GuardCheck = async () => false;
