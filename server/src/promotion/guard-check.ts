/**
 * @module Whether a flag's guards are tripped in an environment, as the soak gate asks it: delegates to
 * the guards (`src/guards/status.ts`). Injectable so tests can trip a guard without shadow traffic.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { guardsTripped as guardStatus } from "../guards/status.js";

export type GuardCheck = (db: Kysely<Database>, environment: string, flag: string) => Promise<boolean>;

export const guardsTripped: GuardCheck = (db, environment, flag) => guardStatus(db, environment, flag);
