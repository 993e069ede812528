/**
 * @module Scheduled changes of one flag in one environment: its schedules (steps done and to come, paused
 * and why, the log), cancelling one, and scheduling new steps — e.g. a ramp 1% → 5% → 25% → 100%.
 */
import { useState } from "react";
import { useEnvironments } from "../api/flags.js";
import { useOverview } from "../api/overview.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen } from "../freezes/override.js";
import { type Schedule, useScheduleActions, useSchedules } from "./api.js";
import { ScheduleForm } from "./ScheduleForm.js";
import { describeStep } from "./steps.js";
import "./schedules.css";

export function SchedulesSection({ initialFlag = "" }: { initialFlag?: string }) {
  const envs = useEnvironments().data ?? [];
  const flags = useOverview().data?.flags ?? [];
  const [chosenEnv, setEnv] = useState("");
  const [flag, setFlag] = useState(initialFlag);
  const env = chosenEnv || envs[envs.length - 1]?.key || "";
  const known = flags.some((f) => f.key === flag.trim());
  return (
    <section className="schedules" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Scheduled changes</h2>
      <p className="muted small">
        Turn a flag on, ramp its rollout or turn it off at set times. A schedule pauses while a guard of the
        flag is tripped or the environment is frozen, and goes on by itself afterwards.
      </p>
      <div className="inline-form">
        <Field label="Schedule environment">
          <select value={env} onChange={(e) => setEnv(e.target.value)}>
            {envs.map((e) => (
              <option key={e.key} value={e.key}>
                {e.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Schedule flag">
          <input value={flag} list="schedule-flags" onChange={(e) => setFlag(e.target.value)} />
        </Field>
        <datalist id="schedule-flags">
          {flags.map((f) => (
            <option key={f.key} value={f.key} />
          ))}
        </datalist>
      </div>
      {env && known && <FlagSchedules key={`${env}/${flag}`} env={env} flag={flag.trim()} />}
    </section>
  );
}

function FlagSchedules({ env, flag }: { env: string; flag: string }) {
  const schedules = useSchedules(env, flag);
  const canEdit = useCan("editor");
  return (
    <>
      <ErrorBanner error={schedules.error} />
      {schedules.data?.length === 0 && (
        <p className="muted">
          Nothing scheduled for {flag} in {env}.
        </p>
      )}
      {schedules.data?.map((s) => (
        <ScheduleCard key={s.id} schedule={s} />
      ))}
      {canEdit && <ScheduleForm env={env} flag={flag} />}
    </>
  );
}

const STEP_STATE = ["done", "next", "later"] as const;

function ScheduleCard({ schedule: s }: { schedule: Schedule }) {
  const { cancel } = useScheduleActions(s.environment, s.flag);
  const canEdit = useCan("editor");
  const open = s.status === "active" || s.status === "paused";
  const stateOf = (i: number) => STEP_STATE[i < s.nextStep ? 0 : i === s.nextStep && open ? 1 : 2];
  return (
    <article className={`schedule schedule-${s.status}`} aria-label={`Schedule #${s.id}`}>
      <h3>
        Schedule #{s.id} <span className="badge">{s.status}</span>{" "}
        <span className="muted small">by {s.createdBy}</span>
      </h3>
      {s.status === "paused" && s.pausedReason && <p className="field-error">Paused: {s.pausedReason}</p>}
      <ol className="schedule-steps">
        {s.steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a schedule's steps never change order; the index is the step
          <li key={i} className={`step-${stateOf(i)}`}>
            <time dateTime={step.at}>{new Date(step.at).toLocaleString()}</time>: {describeStep(step)}
            {stateOf(i) !== "later" && <span className="muted small"> ({stateOf(i)})</span>}
          </li>
        ))}
      </ol>
      {s.log.length > 0 && (
        <details>
          <summary>Log ({s.log.length})</summary>
          <ul>
            {s.log.map((entry) => (
              <li key={`${entry.at}-${entry.step}-${entry.outcome}`}>
                {new Date(entry.at).toLocaleString()} · step {entry.step + 1} {entry.outcome}: {entry.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
      {isFrozen(cancel.error) ? (
        <FrozenNotice
          error={cancel.error}
          pending={cancel.isPending}
          onOverride={(override) => cancel.mutate({ id: s.id, override })}
        />
      ) : (
        <ErrorBanner error={cancel.error} />
      )}
      {canEdit && open && (
        <button
          type="button"
          className="button"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ id: s.id })}
        >
          Cancel schedule #{s.id}
        </button>
      )}
    </article>
  );
}
