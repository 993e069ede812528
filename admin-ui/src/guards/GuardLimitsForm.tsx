/**
 * @module Editing a flag's guard limits: one row per metric (on or off, the limit, what to do when it
 * trips). Rates are typed in percent and sent as fractions; the latency limit is a ratio to the old code.
 * Saving replaces the set; unchanged guards keep their test and status on the server.
 */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.js";
import { Field } from "../components/Field.js";
import { FormErrors } from "../components/FormErrors.js";
import {
  GUARD_METRICS,
  type Guard,
  type GuardAction,
  type GuardInput,
  type GuardMetric,
  useGuardActions,
} from "./api.js";
import { METRIC_LABEL } from "./status.js";

interface Row {
  enabled: boolean;
  /** As typed: percent for rates, a ratio for latency. */
  limit: string;
  action: GuardAction;
}

/** The suggested limits: mismatch > 1%, candidate errors > 0.5%, candidate p95 > 1.5× control. */
const DEFAULTS: Record<GuardMetric, number> = {
  mismatch_rate: 0.01,
  error_rate: 0.005,
  latency_p95_ratio: 1.5,
};
const isRatio = (m: GuardMetric) => m === "latency_p95_ratio";
const shown = (m: GuardMetric, limit: number) => String(isRatio(m) ? limit : +(limit * 100).toFixed(4));
const sent = (m: GuardMetric, typed: string) => (isRatio(m) ? Number(typed) : Number(typed) / 100);

export function rowsOf(guards: Guard[]): Record<GuardMetric, Row> {
  const rows = {} as Record<GuardMetric, Row>;
  for (const m of GUARD_METRICS) {
    const g = guards.find((x) => x.metric === m);
    rows[m] = { enabled: !!g, limit: shown(m, g?.limit ?? DEFAULTS[m]), action: g?.action ?? "kill" };
  }
  return rows;
}

/** The PUT body's guards; an unchanged guard keeps its alpha so the server keeps its test. */
export function inputsOf(rows: Record<GuardMetric, Row>, guards: Guard[]): GuardInput[] {
  return GUARD_METRICS.filter((m) => rows[m].enabled).map((m) => {
    const alpha = guards.find((g) => g.metric === m)?.alpha;
    return { metric: m, limit: sent(m, rows[m].limit), action: rows[m].action, ...(alpha ? { alpha } : {}) };
  });
}

export function GuardLimitsForm(props: { env: string; flag: string; guards: Guard[]; onDone: () => void }) {
  const { save } = useGuardActions(props.env, props.flag);
  const [rows, setRows] = useState(() => rowsOf(props.guards));
  const error = save.error instanceof ApiError ? save.error : null;
  const set = (m: GuardMetric, change: Partial<Row>) => setRows({ ...rows, [m]: { ...rows[m], ...change } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(inputsOf(rows, props.guards), { onSuccess: props.onDone });
  };
  const inputs = inputsOf(rows, props.guards);
  const indexOf = (m: GuardMetric) => inputs.findIndex((g) => g.metric === m);
  return (
    <form className="guard-limits" onSubmit={submit} aria-label="Guard limits">
      {GUARD_METRICS.map((m) => {
        const fieldError = indexOf(m) >= 0 ? error?.fieldError(`guards.${indexOf(m)}`) : undefined;
        return (
          <fieldset key={m}>
            <legend>
              <label>
                <input
                  type="checkbox"
                  checked={rows[m].enabled}
                  onChange={(e) => set(m, { enabled: e.target.checked })}
                />{" "}
                {METRIC_LABEL[m]}
              </label>
            </legend>
            <Field label={isRatio(m) ? "Limit (× the old code's p95)" : "Limit (%)"} error={fieldError}>
              <input
                type="number"
                step="any"
                min={0}
                value={rows[m].limit}
                disabled={!rows[m].enabled}
                onChange={(e) => set(m, { limit: e.target.value })}
              />
            </Field>
            <Field label="When it trips">
              <select
                value={rows[m].action}
                disabled={!rows[m].enabled}
                onChange={(e) => set(m, { action: e.target.value as GuardAction })}
              >
                <option value="kill">Kill the flag</option>
                <option value="stop_ramp">Stop the ramp</option>
              </select>
            </Field>
          </fieldset>
        );
      })}
      <FormErrors error={save.error} fields={inputs.map((_, i) => `guards.${i}`)} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          Save guards
        </button>
      </div>
    </form>
  );
}
