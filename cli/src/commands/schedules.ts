/**
 * @module `schedules list`: scheduled changes in one environment (`--env`) or all, narrowed by `--flag` and
 * `--status` (pending — waiting for its next step —, paused, done, cancelled, failed).
 */
import { EXIT, UsageError } from "../exit.js";
import { printJson, printTable } from "../io.js";
import { type Command, enc } from "./command.js";

type Step = { at: string; action: "on" | "off" | "rollout"; percentage?: number };

interface Schedule {
  id: number;
  environment: string;
  flag: string;
  steps: Step[];
  nextStep: number;
  status: string;
  pausedReason: string | null;
}

const STATUSES: readonly string[] = ["pending", "active", "paused", "done", "cancelled", "failed"];

const stepText = (s: Step) =>
  `${s.action === "rollout" ? `rollout ${s.percentage}%` : `turn ${s.action}`} at ${s.at}`;

/** "step 2 of 4: rollout 5% at …", or why it is paused; nothing once it is over. */
function nextText(s: Schedule): string {
  const step = s.steps[s.nextStep];
  const next = step ? `step ${s.nextStep + 1} of ${s.steps.length}: ${stepText(step)}` : "";
  return s.status === "paused" && s.pausedReason ? `${next} (paused: ${s.pausedReason})` : next;
}

export async function schedules({ api, io, options, args }: Command): Promise<number> {
  if (args[0] !== "list")
    throw new UsageError(args[0] ? `schedules ${args[0]}? use schedules list` : "missing list");
  if (options.status && !STATUSES.includes(options.status))
    throw new UsageError(`--status is one of ${STATUSES.join(", ")}`);
  if ((options.flag?.length ?? 0) > 1) throw new UsageError("schedules list takes one --flag");
  const flag = options.flag?.[0];
  const query = new URLSearchParams({
    ...(options.status ? { status: options.status } : {}),
    ...(flag ? { flag } : {}),
  });
  const where = options.env ? `/environments/${enc(options.env)}/schedules` : "/schedules";
  const { schedules: found } = await api.call<{ schedules: Schedule[] }>(
    "GET",
    `${where}${query.size ? `?${query}` : ""}`,
  );
  if (options.json) printJson(io, { schedules: found });
  else if (found.length === 0) io.out(`no schedules${options.env ? ` in ${options.env}` : ""}`);
  else
    printTable(io, [
      ["ID", "ENVIRONMENT", "FLAG", "STATUS", "NEXT"],
      ...found.map((s) => [`#${s.id}`, s.environment, s.flag, s.status, nextText(s)]),
    ]);
  return EXIT.ok;
}
