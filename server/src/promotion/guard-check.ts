/**
 * @module Whether a flag's guards are tripped in an environment, as the soak gate asks it: a promotion
 * whose source has a tripped guard waits (and the gate records why).
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { guardsTripped as tripped } from "../guards/status.js";

export type GuardCheck = (db: Kysely<Database>, environment: string, flag: string) => Promise<boolean>;

export const guardsTripped: GuardCheck = (db, environment, flag) => tripped(db, environment, flag);
