/** @module Scheduling new steps for a flag in an environment: rows of time, action and percentage, or a ramp. */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.js";
import { type ChangeRequest, filedRequest } from "../change-requests/api.js";
import { ChangeRequestNotice } from "../change-requests/ChangeRequestNotice.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { toLocalInput } from "../components/local-time.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen } from "../freezes/override.js";
import { useScheduleActions } from "./api.js";
import { nextHour, rampDrafts, type StepDraft, type StepProblem, stepsOf } from "./steps.js";

export function ScheduleForm({ env, flag }: { env: string; flag: string }) {
  const { create } = useScheduleActions(env, flag);
  const [drafts, setDrafts] = useState<StepDraft[]>([]);
  const [problems, setProblems] = useState<StepProblem[]>([]);
  // In an environment that requires approval the schedule is filed as a change request (202).
  const [filed, setFiled] = useState<ChangeRequest | null>(null);
  const serverError = create.error instanceof ApiError ? create.error : null;
  const errorFor = (index: number, field: StepProblem["field"]) =>
    problems.find((p) => p.index === index && p.field === field)?.message ??
    serverError?.fieldError(`steps.${index}.${field}`);
  const edit = (index: number, changes: Partial<StepDraft>) =>
    setDrafts(drafts.map((d, i) => (i === index ? { ...d, ...changes } : d)));
  const add = () =>
    setDrafts([...drafts, { at: toLocalInput(nextHour(new Date())), action: "on", percentage: "" }]);
  const submit = (event: FormEvent, override?: string) => {
    event.preventDefault();
    const result = stepsOf(drafts);
    if ("problems" in result) return setProblems(result.problems);
    setProblems([]);
    setFiled(null);
    create.mutate(
      { steps: result.steps, override },
      {
        onSuccess: (answer) => {
          setDrafts([]);
          setFiled(filedRequest(answer));
        },
      },
    );
  };
  return (
    <form
      className="schedule-form"
      onSubmit={(e) => submit(e)}
      aria-label={`Schedule ${flag} in ${env}`}
      noValidate
    >
      <h3>
        Schedule {flag} in {env}
      </h3>
      <div className="inline-form">
        <button type="button" className="button" onClick={add}>
          Add a step
        </button>
        <button type="button" className="button" onClick={() => setDrafts(rampDrafts(nextHour(new Date())))}>
          Ramp 1% → 5% → 25% → 100%, hourly
        </button>
      </div>
      {drafts.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">At</th>
              <th scope="col">Action</th>
              <th scope="col">Percentage</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {drafts.map((d, i) => (
              <StepRow
                // Rows have no identity but their place; editing one never reorders the others.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                key={i}
                index={i}
                draft={d}
                errorFor={errorFor}
                onChange={(changes) => edit(i, changes)}
                onRemove={() => setDrafts(drafts.filter((_, j) => j !== i))}
              />
            ))}
          </tbody>
        </table>
      )}
      {filed && <ChangeRequestNotice request={filed} what="schedule for" onDismiss={() => setFiled(null)} />}
      {isFrozen(create.error) ? (
        <FrozenNotice
          error={create.error}
          pending={create.isPending}
          onOverride={(override) => create.variables && create.mutate({ ...create.variables, override })}
        />
      ) : (
        serverError && !serverError.errors.length && <ErrorBanner error={serverError} />
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={create.isPending || drafts.length === 0}
      >
        Schedule {drafts.length} step{drafts.length === 1 ? "" : "s"}
      </button>
    </form>
  );
}

interface StepRowProps {
  index: number;
  draft: StepDraft;
  errorFor: (index: number, field: StepProblem["field"]) => string | undefined;
  onChange: (changes: Partial<StepDraft>) => void;
  onRemove: () => void;
}

function StepRow({ index, draft, errorFor, onChange, onRemove }: StepRowProps) {
  const n = index + 1;
  const atError = errorFor(index, "at");
  const percentageError = errorFor(index, "percentage");
  return (
    <tr>
      <td>{n}</td>
      <td>
        <input
          type="datetime-local"
          aria-label={`Step ${n} at`}
          aria-invalid={atError ? true : undefined}
          value={draft.at}
          onChange={(e) => onChange({ at: e.target.value })}
        />
        {atError && <p className="field-error">{atError}</p>}
      </td>
      <td>
        <select
          aria-label={`Step ${n} action`}
          value={draft.action}
          onChange={(e) => onChange({ action: e.target.value as StepDraft["action"] })}
        >
          <option value="on">turn on</option>
          <option value="rollout">rollout</option>
          <option value="off">turn off</option>
        </select>
      </td>
      <td>
        {draft.action === "rollout" && (
          <>
            <input
              type="number"
              min={0}
              max={100}
              step="any"
              aria-label={`Step ${n} percentage`}
              aria-invalid={percentageError ? true : undefined}
              value={draft.percentage}
              onChange={(e) => onChange({ percentage: e.target.value })}
            />
            %{percentageError && <p className="field-error">{percentageError}</p>}
          </>
        )}
      </td>
      <td>
        <button
          type="button"
          className="button button-quiet"
          onClick={onRemove}
          aria-label={`Remove step ${n}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
