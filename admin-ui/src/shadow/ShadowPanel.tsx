/**
 * @module The shadow panel of a flag in one environment: where the flag is on the dark-launch path with a
 * one-click move to the next step, how the new code compares with the old (mismatch and error rates,
 * latency p50/p95 of both over 1 h, 24 h or 7 d) and the sampled mismatches side by side, and the flag's
 * guards. After a guard trips, the trip shows here and the move is blocked until the guard is re-armed.
 */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.js";
import { useSegmentList } from "../api/segments.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { GuardsPanel } from "../guards/GuardsPanel.js";
import { describeTrip, ruleText } from "../guards/status.js";
import {
  type DarkLaunch,
  RANGES,
  type Range,
  type ShadowSummary,
  STEPS,
  type Step,
  useAdvance,
  useDarkLaunch,
  useShadowSummary,
} from "./api.js";
import { ShadowCharts } from "./ShadowChart.js";
import "./shadow.css";

const STEP_LABEL: Record<Step, string> = {
  off: "Off",
  shadow: "Shadow",
  pilot: "Pilot cohort",
  rollout: "Rollout",
  done: "Done",
};

export const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 2 : 1)}%`;
export const millis = (ms: number | null) =>
  ms === null ? "—" : ms >= 1000 ? `${ms / 1000} s` : `≤${ms} ms`;

export function ShadowPanel({ env, flag }: { env: string; flag: string }) {
  const [range, setRange] = useState<Range>("1h");
  const step = useDarkLaunch(env, flag);
  const summary = useShadowSummary(env, flag, range);
  const tripped = step.data?.trippedGuards ?? [];
  return (
    <section className="shadow-panel" aria-labelledby="shadow-title">
      <h2 id="shadow-title">Dark launch</h2>
      <ErrorBanner error={step.error ?? summary.error} />
      {step.data && <StepPath view={step.data} />}
      {tripped.length > 0 && <TripNotice tripped={tripped} />}
      {step.data && tripped.length === 0 && <AdvanceForm env={env} flag={flag} view={step.data} />}
      <RangePicker range={range} onChange={setRange} />
      {summary.data ? (
        <Comparison summary={summary.data} range={range} />
      ) : (
        summary.isPending && <p className="muted">Loading…</p>
      )}
      <GuardsPanel env={env} flag={flag} />
    </section>
  );
}

function TripNotice({ tripped }: { tripped: NonNullable<DarkLaunch["trippedGuards"]> }) {
  return (
    <div className="banner banner-error trip-notice" role="alert">
      <strong>
        {tripped.length === 1 ? "A guard has tripped" : `${tripped.length} guards have tripped`}: moving on is
        blocked until {tripped.length === 1 ? "it is" : "they are"} re-armed (under Guards below).
      </strong>
      {tripped.map((g) => (
        <p key={g.id}>
          "{ruleText(g.metric, g.limit)}"{g.trippedAt && ` at ${new Date(g.trippedAt).toLocaleString()}`}:{" "}
          {describeTrip(g)}
        </p>
      ))}
    </div>
  );
}

function RangePicker({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toggle-button group, not a form fieldset
    <div className="range-picker" role="group" aria-label="Time range">
      {(Object.keys(RANGES) as Range[]).map((r) => (
        <button
          key={r}
          type="button"
          className="button button-quiet"
          aria-pressed={r === range}
          onClick={() => onChange(r)}
        >
          {RANGES[r].label}
        </button>
      ))}
    </div>
  );
}

function StepPath({ view }: { view: DarkLaunch }) {
  return (
    <ol className="step-path" aria-label="Dark-launch path">
      {STEPS.map((s) => (
        <li
          key={s}
          aria-current={s === view.step ? "step" : undefined}
          className={s === view.step ? "current" : ""}
        >
          {STEP_LABEL[s]}
          {s === view.step && s === "shadow" && ` · ${view.shadowSampleRate}% of calls`}
          {s === view.step && s === "pilot" && view.pilotSegment && ` · ${view.pilotSegment}`}
          {s === view.step && s === "rollout" && ` · ${view.percentage}%`}
        </li>
      ))}
      {view.readyForRemoval && <li className="badge">ready for removal</li>}
    </ol>
  );
}

function AdvanceForm({ env, flag, view }: { env: string; flag: string; view: DarkLaunch }) {
  const advance = useAdvance(env, flag);
  const segments = useSegmentList(env, { enabled: view.next === "pilot" });
  const [sampleRate, setSampleRate] = useState("5");
  const [segment, setSegment] = useState("");
  const [percentage, setPercentage] = useState(
    view.step === "rollout" ? String(Math.min(100, view.percentage * 2)) : "10",
  );
  const error = advance.error instanceof ApiError ? advance.error : null;
  const next = view.next;
  if (!next) return null;
  // From a rollout, the next click either ramps further or finishes.
  const target: Step = view.step === "rollout" && Number(percentage) < 100 ? "rollout" : next;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input =
      target === "shadow"
        ? { to: target, sampleRate: Number(sampleRate) }
        : target === "pilot"
          ? { to: target, segment: segment || segments.data?.segments[0]?.key }
          : target === "rollout"
            ? { to: target, percentage: Number(percentage) }
            : { to: target };
    advance.mutate({ ...input, version: view.version });
  };

  return (
    <form className="advance-form" onSubmit={submit}>
      {target === "shadow" && (
        <Field label="Share of calls to shadow (%)" error={error?.fieldError("sampleRate")}>
          <input
            type="number"
            min={0}
            max={100}
            step="any"
            value={sampleRate}
            onChange={(e) => setSampleRate(e.target.value)}
          />
        </Field>
      )}
      {target === "pilot" && (
        <Field label="Pilot cohort" error={error?.fieldError("segment")}>
          <select value={segment} onChange={(e) => setSegment(e.target.value)}>
            {segments.data?.segments.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name || s.key}
              </option>
            ))}
          </select>
        </Field>
      )}
      {(next === "rollout" || view.step === "rollout") && (
        <Field label="Everyone else: share on the new code (%)" error={error?.fieldError("percentage")}>
          <input
            type="number"
            min={1}
            max={100}
            value={percentage}
            onChange={(e) => setPercentage(e.target.value)}
          />
        </Field>
      )}
      {error && !error.errors.length && <ErrorBanner error={error} />}
      <button type="submit" className="button button-primary" disabled={advance.isPending}>
        {target === "rollout" && view.step === "rollout"
          ? `Ramp to ${percentage}%`
          : `Move to ${STEP_LABEL[target].toLowerCase()}`}
      </button>
    </form>
  );
}

function Comparison({ summary, range }: { summary: ShadowSummary; range: Range }) {
  const t = summary.totals;
  if (t.shadowed === 0 && t.calls === 0) {
    return (
      <p className="empty">
        No shadow reports in the last {RANGES[range].words}. SDKs send them every few seconds while calls are
        sampled.
      </p>
    );
  }
  return (
    <>
      <dl className="shadow-figures">
        <div>
          <dt>Mismatch rate</dt>
          <dd className={t.mismatchRate > 0.01 ? "bad" : "good"}>{percent(t.mismatchRate)}</dd>
        </div>
        <div>
          <dt>Error rate (new code)</dt>
          <dd className={t.errorRate > 0.005 ? "bad" : "good"}>{percent(t.errorRate)}</dd>
        </div>
        <div>
          <dt>Compared calls</dt>
          <dd>
            {t.matches + t.mismatches} of {t.calls}
            {t.skipped > 0 && <span className="muted small"> · {t.skipped} skipped (bulkhead)</span>}
          </dd>
        </div>
      </dl>
      <table className="latency-table">
        <caption>Latency</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Old (control)</th>
            <td>{millis(t.latencyMs.control.p50)}</td>
            <td>{millis(t.latencyMs.control.p95)}</td>
          </tr>
          <tr>
            <th scope="row">New (candidate)</th>
            <td>{millis(t.latencyMs.candidate.p50)}</td>
            <td>{millis(t.latencyMs.candidate.p95)}</td>
          </tr>
        </tbody>
      </table>
      <ShadowCharts series={summary.series} />
      <Samples samples={summary.samples} />
    </>
  );
}

function Samples({ samples }: { samples: ShadowSummary["samples"] }) {
  if (samples.length === 0) return null;
  return (
    <table className="samples-table">
      <caption>Sampled mismatches</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Old code returned</th>
          <th scope="col">New code returned</th>
        </tr>
      </thead>
      <tbody>
        {samples.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: samples have no identity of their own
          <tr key={i}>
            <td>{new Date(s.at).toLocaleTimeString()}</td>
            <td>
              <pre>{JSON.stringify(s.control, null, 2)}</pre>
            </td>
            <td>
              <pre>{JSON.stringify(s.candidate, null, 2)}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
