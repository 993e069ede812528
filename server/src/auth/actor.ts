/**
 * @module Who is making a request: a logged-in user, an admin API key, or the system itself (seed, setup).
 */
import type { ActorType, Role } from "../db/schema.js";

export interface Actor {
  type: ActorType;
  /** User id or API key id, as text; null for the system. */
  id: string | null;
  /** Shown in the audit log: a user's email, a key's name. */
  name: string;
  role: Role;
  /** An admin's reason to write through a change freeze (header `X-Switchyard-Freeze-Override`). */
  freezeOverride?: string;
}

export const SYSTEM_ACTOR: Actor = { type: "system", id: null, name: "system", role: "admin" };

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
