/** @module The Hono environment of the admin API: every authenticated handler can read its actor. */
import type { Actor } from "./actor.js";

export type AppEnv = { Variables: { actor: Actor } };
