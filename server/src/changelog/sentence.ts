/**
 * @module One audit entry as one sentence, for people who were not there: "Ana turned on new-checkout in
 * production", "Bo promoted new-checkout and banner-text from staging to production (promotion #7)",
 * "Ana added 3 users to segment pilot-users in production". The changelog and webhook notifications both
 * say it this way. Every audit action has its own phrase; an unknown one still reads as a sentence.
 */
import { detailText, listed, stateChangePhrase } from "./state-words.js";

export interface SentenceEntry {
  action: string;
  actor: { name: string };
  environment: string | null;
  flag: string | null;
  targetType: string;
  targetKey: string;
  /** Appended after a colon; pass null to leave it out (the changelog shows it in its own column). */
  reason: string | null;
  before?: unknown;
  after?: unknown;
}

type Fields = Record<string, unknown>;
type Describe = (e: SentenceEntry, where: string, after: Fields, before: Fields) => string;

const fields = (value: unknown): Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const text = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
const count = (value: unknown) => (typeof value === "number" ? value : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const at = (iso: unknown) =>
  text(iso)
    .replace("T", " ")
    .replace(/:\d\d(\.\d+)?Z$/, " UTC");
const changedFields = (before: Fields, after: Fields, names: string[]) =>
  names.filter((n) => JSON.stringify(before[n]) !== JSON.stringify(after[n]));

/** "new-checkout", "new-checkout and banner-text", "5 flags (a, b, c and 2 more)". */
function flagList(flags: string[]): string {
  if (flags.length <= 2) return listed(flags) || "no flag";
  return `${flags.length} flags (${listed(flags)})`;
}

/** The flags an entry touches: its flag, or those a promotion or an incident names. */
export function flagsOf(e: Pick<SentenceEntry, "flag" | "before" | "after">): string[] {
  if (e.flag) return [e.flag];
  const after = fields(e.after);
  if (Array.isArray(after.flags)) return strings(after.flags);
  const named = fields(after.flags);
  if (Object.keys(named).length) return Object.keys(named);
  const environments = Object.values(fields(after.environments)).map(fields);
  return [...new Set(environments.flatMap((flags) => Object.keys(flags)))];
}

/** The id a change request or schedule entry names (older entries were keyed by their flag). */
const idOf = (e: SentenceEntry, view: Fields) =>
  typeof view.id === "number" ? String(view.id) : e.targetKey;

/** "new-checkout from staging to production and development (promotion #7)". */
function promotionPhrase(e: SentenceEntry, after: Fields): string {
  const flags = strings(after.flags);
  if (flags.length === 0) return `promotion #${e.targetKey}`;
  const from = text(after.from);
  const to = listed(strings(after.to));
  const route = from && to ? ` from ${from} to ${to}` : "";
  return `${flagList(flags)}${route} (promotion #${e.targetKey})`;
}

function gatePhrase(gate: Fields): string {
  if (gate.type === "approval") return "waiting for an approval";
  const soak = `after a ${count(gate.minutes)}-minute soak`;
  return gate.approval ? `${soak} and an approval` : soak;
}

/** The one changed flag and environment of an applied promotion, with what changed there. */
function promotedChanges(after: Fields): string {
  const changed = Object.entries(fields(after.environments)).flatMap(([env, flags]) =>
    Object.entries(fields(flags))
      .filter(([, plan]) => !fields(plan).unchanged)
      .map(([flag, plan]) => ({ env, flag, changes: strings(fields(plan).changes) })),
  );
  if (changed.length === 0) return ", which changed nothing";
  const [only] = changed;
  return changed.length === 1 && only ? `: ${detailText(only.changes)}` : "";
}

function requestPhrase(e: SentenceEntry, where: string, view: Fields) {
  const by = text(view.requestedBy);
  return `${by ? `${by}'s ` : ""}change request #${idOf(e, view)} for ${e.flag ?? "a flag"}${where}`;
}

function segmentUpdate(key: string, where: string, before: Fields, after: Fields): string {
  const parts: string[] = [];
  const included = count(after.includedCount) - count(before.includedCount);
  const excluded = count(after.excludedCount) - count(before.excludedCount);
  if (included > 0) parts.push(`added ${plural(included, "user")} to segment ${key}`);
  if (included < 0) parts.push(`removed ${plural(-included, "user")} from segment ${key}`);
  if (excluded > 0) parts.push(`excluded ${plural(excluded, "more user")} from segment ${key}`);
  if (excluded < 0) parts.push(`excluded ${plural(-excluded, "user")} fewer from segment ${key}`);
  const other = changedFields(before, after, ["name", "description", "rules"]);
  if (other.length) parts.push(`changed the ${listed(other)} of segment ${key}`);
  if (parts.length === 0) return `edited segment ${key}${where}`;
  return `${parts.join(" and ")}${where}`;
}

function environmentUpdate(key: string, before: Fields, after: Fields): string {
  if (before.requiresApproval !== after.requiresApproval) {
    const rest = changedFields(before, after, ["name", "color", "corsOrigins", "sortOrder"]);
    const approval = after.requiresApproval
      ? `required approval for changes in ${key}`
      : `stopped requiring approval in ${key}`;
    return rest.length ? `${approval} and changed its ${listed(rest)}` : approval;
  }
  const changed = changedFields(before, after, ["name", "color", "corsOrigins", "sortOrder"]);
  return `changed the ${changed.length ? listed(changed) : "settings"} of environment ${key}`;
}

function keyName(view: Fields): string {
  const kind = text(view.kind, "API");
  const scope = view.environment
    ? ` for ${text(view.environment)}`
    : view.role
      ? ` (${text(view.role)})`
      : "";
  return `${kind === "admin" ? "an admin token" : `a ${kind} key`} "${text(view.name)}"${scope}`;
}

function userUpdate(before: Fields, after: Fields): string {
  const who = text(after.email, text(after.name));
  if (before.role !== after.role)
    return `made ${who} ${text(after.role) === "admin" ? "an" : "a"} ${text(after.role)} (was ${text(before.role)})`;
  if (before.disabled && !after.disabled) return `re-enabled user ${who}`;
  const changed = changedFields(before, after, ["name", "passwordSet"]).map((f) =>
    f === "passwordSet" ? "password" : f,
  );
  return `changed the ${changed.length ? listed(changed) : "account"} of user ${who}`;
}

const PHRASES: Record<string, Describe> = {
  "flag.create": (e, _w, a) => `created flag ${e.targetKey}${a.kind ? ` (${text(a.kind)})` : ""}`,
  "flag.update": (e, _w, a, b) => {
    const changed = changedFields(b, a, [
      "name",
      "description",
      "variations",
      "tags",
      "owner",
      "temporary",
      "clientVisible",
    ]);
    return `edited flag ${e.targetKey}${changed.length ? `: ${listed(changed, 7)}` : ""}`;
  },
  "flag.archive": (e) => `archived flag ${e.targetKey}`,
  "flag.unarchive": (e) => `brought back flag ${e.targetKey}`,
  "flag.kill": (e, w) => `killed ${e.flag ?? e.targetKey}${w}`,
  "flag_state.update": (e, w) => stateChangePhrase(e.flag ?? e.targetKey, w, e.before, e.after),
  "incident.declare": (e, w, a) => {
    const killed = Object.keys(fields(a.flags));
    const turnedOff = killed.length ? `, turning off ${flagList(killed)}` : ", which turned off no flag";
    return `declared an incident on tag "${text(a.tag, e.targetKey)}"${w}${turnedOff}`;
  },
  "guard.trip": (e, w, a) =>
    `tripped, ${fields(a.state).on === false ? "turning off" : "stopping the ramp of"} ${e.flag ?? e.targetKey}${w}`,
  "guard.update": (e, w) => `set the guards of ${e.flag ?? e.targetKey}${w}`,
  "guard.rearm": (e, w) => `re-armed the tripped guards of ${e.flag ?? e.targetKey}${w}`,
  "segment.create": (e, w, a) =>
    `created segment ${e.targetKey}${w} with ${plural(count(a.includedCount), "user")}`,
  "segment.update": (e, w, a, b) => segmentUpdate(e.targetKey, w, b, a),
  "segment.delete": (e, w) => `deleted segment ${e.targetKey}${w}`,
  "environment.create": (e, _w, a) =>
    `created environment ${e.targetKey}${a.name ? ` ("${text(a.name)}")` : ""}`,
  "environment.update": (e, _w, a, b) => environmentUpdate(e.targetKey, b, a),
  "environment.delete": (e) => `deleted environment ${e.targetKey} with its flag states, segments and keys`,
  "key.create": (_e, _w, a) => `created ${keyName(a)}`,
  "key.revoke": (_e, _w, a, b) => `revoked ${keyName(Object.keys(a).length ? a : b)}`,
  "user.create": (e, _w, a) => `added user ${text(a.email, e.targetKey)} as ${text(a.role, "a user")}`,
  "user.update": (_e, _w, a, b) => userUpdate(b, a),
  "user.disable": (e, _w, a) => `disabled user ${text(a.email, e.targetKey)}`,
  "user.setup": () => "set up their account",
  "user.setup_link": (e) => `issued a setup link for user ${e.targetKey}`,
  "webhook.create": (e, _w, a) => {
    const scope = a.environment ? ` in ${text(a.environment)}` : "";
    return `added webhook "${e.targetKey}" for ${listed(strings(a.events), 4)}${scope}`;
  },
  "webhook.update": (e, _w, a, b) => {
    if (b.enabled !== a.enabled) return `${a.enabled ? "re-enabled" : "paused"} webhook "${e.targetKey}"`;
    const changed = changedFields(b, a, ["name", "url", "events", "environment", "format"]);
    return `changed the ${changed.length ? listed(changed) : "settings"} of webhook "${e.targetKey}"`;
  },
  "webhook.delete": (e) => `deleted webhook "${e.targetKey}"`,
  "freeze.start": (e, _w, a) =>
    `froze ${e.environment ?? e.targetKey}${a.until ? ` until ${at(a.until)}` : ""}`,
  "freeze.end": (e) => `lifted the freeze on ${e.environment ?? e.targetKey}`,
  "promotion.request": (e, _w, a) =>
    `asked to promote ${promotionPhrase(e, a)}, ${gatePhrase(fields(a.gate))}`,
  "promotion.approve": (e, _w, a) =>
    `approved the promotion of ${promotionPhrase(e, a)}; it applies once its soak period passes`,
  "promotion.apply": (e, _w, a) => `promoted ${promotionPhrase(e, a)}${promotedChanges(a)}`,
  "promotion.reject": (e, _w, a) => `rejected the promotion of ${promotionPhrase(e, a)}`,
  "promotion.fail": (e, _w, a) => `stopped the promotion of ${promotionPhrase(e, a)}`,
  "promotion.revert": (e, _w, a) => {
    const put = Object.entries(fields(a.environments)).map(
      ([env, flags]) => `${flagList(Object.keys(fields(flags)))} in ${env}`,
    );
    return `reverted promotion #${e.targetKey}, putting back ${listed(put) || "what it replaced"}`;
  },
  "change-request.create": (e, w, a) => {
    const described = strings(a.described);
    const what = a.kind === "schedule" ? `schedule ${e.flag}` : `change ${e.flag}`;
    return `asked to ${what}${w} (change request #${idOf(e, a)})${described.length ? `: ${detailText(described)}` : ""}`;
  },
  "change-request.approve": (e, w, a) => `approved ${requestPhrase(e, w, a)}`,
  "change-request.reject": (e, w, a) => `rejected ${requestPhrase(e, w, a)}`,
  "change-request.conflict": (e, w, a) =>
    `could not apply ${requestPhrase(e, w, a)}: the flag changed after it was requested`,
  "change-request.comment": (e, w, a) => `commented on ${requestPhrase(e, w, a)}`,
  "schedule.create": (e, w, a) => {
    const steps = (Array.isArray(a.steps) ? a.steps : []).map(fields).map((s) => {
      const what = s.action === "rollout" ? `rollout ${count(s.percentage)}%` : `turn ${text(s.action)}`;
      return `${what} at ${at(s.at)}`;
    });
    return `scheduled ${e.flag}${w} (schedule #${idOf(e, a)}): ${listed(steps, 4)}`;
  },
  "schedule.cancel": (e, w, _a, b) => `cancelled schedule #${idOf(e, b)} of ${e.flag}${w}`,
  "schedule.step": (e, w) => stateChangePhrase(e.flag ?? e.targetKey, w, e.before, e.after),
  "schedule.pause": (e, w) => `paused for ${e.flag}${w}`,
  "schedule.resume": (e, w) => `resumed for ${e.flag}${w}`,
  "schedule.fail": (e, w) => `failed for ${e.flag}${w}`,
  "dark-launch.advance": (e, w) => `moved the dark launch of ${e.flag ?? e.targetKey}${w}`,
};

/** Actions with a phrase of their own (the rest read "did <action> on …"). */
export const DESCRIBED_ACTIONS: ReadonlySet<string> = new Set(Object.keys(PHRASES));

/** "Ana killed new-checkout in production: payment errors". */
export function sentence(e: SentenceEntry): string {
  const where = e.environment ? ` in ${e.environment}` : "";
  const describe = PHRASES[e.action];
  const phrase = describe
    ? describe(e, where, fields(e.after), fields(e.before))
    : `did ${e.action} on ${e.flag ?? `${e.targetType} ${e.targetKey}`}${where}`;
  return `${e.actor.name} ${phrase}${e.reason ? `: ${e.reason}` : ""}`;
}
