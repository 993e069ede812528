/**
 * @module Scheduled steps (server/src/schedules): turn on, serve a rollout percentage, or turn off, each at
 * a set time, in time order. The form edits drafts in local time; the API takes ISO instants.
 */
import { fromLocalInput, toLocalInput } from "../components/local-time.js";

export type Step =
  | { at: string; action: "on" | "off" }
  | { at: string; action: "rollout"; percentage: number };

export interface StepDraft {
  /** `<input type="datetime-local">` value. */
  at: string;
  action: Step["action"];
  percentage: string;
}

export interface StepProblem {
  index: number;
  field: "at" | "percentage";
  message: string;
}

export function describeStep(step: Step): string {
  return step.action === "rollout" ? `rollout ${step.percentage}%` : `turn ${step.action}`;
}

const MINUTE = 60_000;

/** A ramp: one rollout step per percentage, `everyMinutes` apart, the first at `start`. */
export function rampDrafts(start: Date, percentages = [1, 5, 25, 100], everyMinutes = 60): StepDraft[] {
  return percentages.map((p, i) => ({
    at: toLocalInput(new Date(start.getTime() + i * everyMinutes * MINUTE)),
    action: "rollout",
    percentage: String(p),
  }));
}

/** The start of the next whole hour: a tidy default time for a new step. */
export function nextHour(now: Date): Date {
  const next = new Date(now);
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

/** The steps the drafts describe, or what is wrong with them, per row and field. */
export function stepsOf(drafts: StepDraft[]): { steps: Step[] } | { problems: StepProblem[] } {
  const problems: StepProblem[] = [];
  const steps: Step[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  drafts.forEach((d, index) => {
    const at = fromLocalInput(d.at);
    if (!at) problems.push({ index, field: "at", message: "Pick a date and time." });
    else if (Date.parse(at) < previous)
      problems.push({ index, field: "at", message: "Steps must be in time order." });
    if (at) previous = Math.max(previous, Date.parse(at));
    const percentage = Number(d.percentage);
    if (d.action === "rollout" && (d.percentage.trim() === "" || !(percentage > 0 && percentage <= 100))) {
      problems.push({
        index,
        field: "percentage",
        message: "A rollout serves more than 0% and at most 100%.",
      });
    }
    if (!at) return;
    steps.push(d.action === "rollout" ? { at, action: "rollout", percentage } : { at, action: d.action });
  });
  if (drafts.length === 0) problems.push({ index: 0, field: "at", message: "Add at least one step." });
  return problems.length > 0 ? { problems } : { steps };
}
