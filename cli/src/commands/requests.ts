/**
 * @module `requests list|approve|reject`: change requests, the edits waiting for approval in environments
 * that require it. The server decides who may approve (an editor or admin other than the requester): its
 * refusal is the API's problem, exit 1.
 */
import { EXIT, need, UsageError } from "../exit.js";
import { plural, printJson, printTable } from "../io.js";
import { type Command, enc } from "./command.js";

type Status = "pending" | "applied" | "rejected" | "conflicted";

interface ChangeRequest {
  id: number;
  kind: "state" | "schedule";
  environment: string;
  flag: string;
  changes: Record<string, unknown>;
  status: Status;
  requestedBy: string;
  decidedBy: string | null;
  reason: string | null;
}

const STATUSES: readonly string[] = ["pending", "applied", "rejected", "conflicted", "all"];

export async function requests(command: Command): Promise<number> {
  const [action, ...args] = command.args;
  const next = { ...command, args };
  if (action === "list") return listRequests(next);
  if (action === "approve" || action === "reject") return decide(next, action);
  throw new UsageError(
    action ? `requests ${action}? use list, approve or reject` : "missing list, approve or reject",
  );
}

/** What a request asks for, in a few words: the fields it changes, or its schedule's steps. */
function asked(r: ChangeRequest): string {
  if (r.kind === "schedule") {
    const steps = Array.isArray(r.changes.schedule) ? r.changes.schedule.length : 0;
    return `schedule of ${plural(steps, "step")}`;
  }
  const fields = Object.keys(r.changes);
  const on = typeof r.changes.on === "boolean" ? ` (turn ${r.changes.on ? "on" : "off"})` : "";
  return `${fields.join(", ")}${on}`;
}

/** Pending ones by default; `--status all` for every status. A misspelt environment is a 404. */
async function listRequests({ api, io, options }: Command): Promise<number> {
  const status = options.status ?? "pending";
  if (!STATUSES.includes(status)) throw new UsageError(`--status is one of ${STATUSES.join(", ")}`);
  if (options.env) await api.call("GET", `/environments/${enc(options.env)}`);
  const query = new URLSearchParams({
    ...(status === "all" ? {} : { status }),
    ...(options.env ? { environment: options.env } : {}),
  });
  const { changeRequests } = await api.call<{ changeRequests: ChangeRequest[] }>(
    "GET",
    `/change-requests${query.size ? `?${query}` : ""}`,
  );
  if (options.json) printJson(io, { changeRequests });
  else if (changeRequests.length === 0)
    io.out(
      `no ${status === "all" ? "" : `${status} `}change requests${options.env ? ` in ${options.env}` : ""}`,
    );
  else
    printTable(io, [
      ["ID", "ENVIRONMENT", "FLAG", "STATUS", "REQUESTED BY", "CHANGES"],
      ...changeRequests.map((r) => [`#${r.id}`, r.environment, r.flag, r.status, r.requestedBy, asked(r)]),
    ]);
  return EXIT.ok;
}

function requestId(arg: string | undefined): number {
  const id = need(arg, "a change request id");
  const n = Number(id.replace(/^#/, ""));
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`"${id}" is not a change request id`);
  return n;
}

/**
 * Approving applies the request; one whose flag changed since it was filed comes back `conflicted`, not
 * applied, which is exit 1 like any refusal. A rejection needs a comment saying why.
 */
async function decide({ api, io, options, args }: Command, verdict: "approve" | "reject"): Promise<number> {
  const id = requestId(args[0]);
  const comment = verdict === "reject" ? need(options.comment, "--comment") : options.comment;
  const decided = await api.call<{ changeRequest: ChangeRequest; applied: unknown }>(
    "POST",
    `/change-requests/${id}/${verdict}`,
    comment ? { comment } : {},
  );
  const r = decided.changeRequest;
  const conflicted = r.status === "conflicted";
  if (options.json) printJson(io, decided);
  else if (conflicted)
    io.err(
      `change request #${id} not applied: ${r.flag} in ${r.environment} changed after it was requested (marked conflicted)`,
    );
  else io.out(`change request #${id} ${r.status} (${r.flag} in ${r.environment}, by ${r.requestedBy})`);
  return conflicted ? EXIT.api : EXIT.ok;
}
