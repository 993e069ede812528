/** @module One audit entry as a sentence people who were not there can read. */

export interface AuditEntry {
  id: number;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: string;
  target: { type: string; key: string };
  environment: string | null;
  flag: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

const VERBS: Record<string, string> = {
  "flag.create": "created",
  "flag.update": "edited",
  "flag.archive": "archived",
  "flag.restore": "restored",
  "flag.kill": "killed",
  "flag_state.update": "changed",
  "incident.declare": "declared an incident on",
  "segment.create": "created segment",
  "segment.update": "edited segment",
  "segment.delete": "deleted segment",
  "guard.trip": "tripped a guard on",
  "promotion.apply": "promoted",
  "promotion.revert": "reverted the promotion of",
};

const on = (value: unknown) =>
  typeof value === "object" && value !== null && "on" in value ? (value as { on: unknown }).on : undefined;

export function describeEntry(entry: AuditEntry): string {
  const who = entry.actor.name;
  const where = entry.environment ? ` in ${entry.environment}` : "";
  const what = entry.flag ?? entry.target.key;
  if (entry.action === "flag_state.update") {
    const [was, now] = [on(entry.before), on(entry.after)];
    if (was === false && now === true) return `${who} turned ${what} on${where}`;
    if (was === true && now === false) return `${who} turned ${what} off${where}`;
  }
  const verb = VERBS[entry.action];
  if (verb) return `${who} ${verb} ${what}${where}`;
  return `${who}: ${entry.action} ${entry.target.type} ${entry.target.key}${where}`;
}
