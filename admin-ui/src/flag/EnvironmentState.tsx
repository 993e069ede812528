/**
 * @module One flag in one environment: the on/off switch and the kill switch, individual targets, rules,
 * the default rule, prerequisites, a live preview of the unsaved edits, the diff before saving, and the
 * dark-launch panel. Someone else's change shows up live; if it lands while you edit, saving (or
 * toggling) shows it instead of overwriting it. The server's complaints show beside their fields.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { ApiError, api, errorMessage } from "../api/client.js";
import { flagPath } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import { useSegmentList } from "../api/segments.js";
import type { Environment, FlagDefinition, FlagState, StateFields, StateWrite } from "../api/types.js";
import { useCan } from "../auth/session.js";
import { type ChangeRequest, filedRequest } from "../change-requests/api.js";
import { ChangeRequestNotice } from "../change-requests/ChangeRequestNotice.js";
import { ConflictNotice } from "../components/ConflictNotice.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen, overrideHeaders } from "../freezes/override.js";
import { diffValues } from "../history/diff.js";
import { KillDialog } from "../kill/KillDialog.js";
import { KillNotice } from "../kill/KillNotice.js";
import { ShadowPanel } from "../shadow/ShadowPanel.js";
import { EnvironmentUsage } from "./FlagUsage.js";
import { PrerequisitesEditor } from "./PrerequisitesEditor.js";
import { Preview } from "./Preview.js";
import { RuleEditor } from "./RuleEditor.js";
import { fieldsOf, SaveFlow } from "./SaveFlow.js";
import { ServeEditor } from "./ServeEditor.js";
import { fieldOf, NO_ERRORS, stateErrors } from "./state-errors.js";
import { TargetsEditor } from "./TargetsEditor.js";

interface ToggleConflict {
  on: boolean;
  before: FlagState;
  current: FlagState;
}

export function EnvironmentState({ flag, env }: { flag: FlagDefinition; env: Environment }) {
  const client = useQueryClient();
  const canEdit = useCan("editor");
  const envKey = env.key;
  const state = useQuery({
    queryKey: queryKeys.state(envKey, flag.key),
    queryFn: () => api<FlagState>(flagPath(envKey, flag.key)),
    refetchInterval: 3_000,
  });
  const segments = useSegmentKeys(envKey);
  const [base, setBase] = useState<FlagState | null>(null);
  const [draft, setDraft] = useState<StateFields | null>(null);
  const [saving, setSaving] = useState(false);
  const [killing, setKilling] = useState(false);
  const [killed, setKilled] = useState<number | null>(null);
  const [filed, setFiled] = useState<ChangeRequest | null>(null);
  // The last save's field errors, with the draft they were about (so they stay on the right fields).
  const [invalid, setInvalid] = useState<{ error: ApiError; draft: StateFields } | null>(null);
  const [toggleConflict, setToggleConflict] = useState<ToggleConflict | null>(null);
  const toggleErrorId = useId();
  const dirty = base && draft ? diffValues(fieldsOf(base), draft).length > 0 : false;

  // Live: adopt the server's newer state unless there are unsaved edits (then saving shows the conflict).
  useEffect(() => {
    if (!state.data) return;
    if (!base || (!dirty && state.data.version !== base.version)) {
      setBase(state.data);
      setDraft(fieldsOf(state.data));
    }
  }, [state.data, base, dirty]);

  const adopt = (next: FlagState) => {
    setBase(next);
    setDraft(fieldsOf(next));
    setInvalid(null);
    client.setQueryData(queryKeys.state(envKey, flag.key), next);
    void client.invalidateQueries({ queryKey: queryKeys.overview });
  };
  const reload = () => void state.refetch().then((r) => r.data && adopt(r.data));
  // A protected environment answers 202 { changeRequest }: nothing applied, so show what is live and why.
  const settle = (result: Partial<StateWrite>) => {
    const request = filedRequest(result);
    if (request) setFiled(request);
    if (result.state && !request) adopt(result.state);
    else reload();
  };

  const toggle = useMutation({
    mutationFn: ({ on, version, override }: { on: boolean; version: number; override?: string }) =>
      api<Partial<StateWrite>>(flagPath(envKey, flag.key), {
        method: "PATCH",
        body: { on },
        version,
        headers: overrideHeaders(override),
      }),
    // Optimistic on both sides, so a pending toggle is not an unsaved edit.
    onMutate: ({ on }) => {
      const before = base;
      setBase((b) => (b ? { ...b, on } : b));
      setDraft((d) => (d ? { ...d, on } : d));
      setToggleConflict(null);
      return { before };
    },
    onSuccess: (result) => settle(result),
    onError: (error, { on }, context) => {
      const current = error instanceof ApiError && error.isConflict ? error.current<FlagState>() : undefined;
      if (current && context?.before) {
        setToggleConflict({ on, before: context.before, current });
        adopt(current);
      } else reload();
    },
  });

  if (state.error) return <ErrorBanner error={state.error} />;
  if (!base || !draft) return <p className="muted">Loading…</p>;
  const newerOnServer = state.data && state.data.version !== base.version;
  const errors = invalid ? stateErrors(invalid.error.errors, invalid.draft) : NO_ERRORS;
  // A freeze refusal gets its own notice (with the admin override), not the field error under the switch.
  const toggleFrozen = isFrozen(toggle.error) ? toggle.error : null;
  const toggleError =
    toggle.error && !toggleConflict && !toggleFrozen
      ? toggle.error instanceof ApiError
        ? (toggle.error.fieldError("on") ?? errorMessage(toggle.error))
        : errorMessage(toggle.error)
      : errors.at(fieldOf.on);

  return (
    <div className="env-state">
      <div className="switch-row">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={base.on}
            aria-label={`${flag.key} on in ${env.name}`}
            aria-invalid={toggleError || toggleFrozen ? true : undefined}
            aria-describedby={toggleError || toggleFrozen ? toggleErrorId : undefined}
            checked={base.on}
            disabled={!canEdit || toggle.isPending || dirty}
            onChange={(e) => toggle.mutate({ on: e.target.checked, version: base.version })}
          />
          <span>{base.on ? "On" : "Off"}</span>
        </label>
        {canEdit && (
          <button type="button" className="button button-danger flag-kill" onClick={() => setKilling(true)}>
            Kill in {env.name}
          </button>
        )}
        <span className="muted small">
          version {base.version}
          {base.updatedBy && ` · last changed by ${base.updatedBy}`}
        </span>
      </div>
      {toggleError && (
        <p className="field-error" id={toggleErrorId} role="alert">
          {toggleError}
        </p>
      )}
      {toggleFrozen && toggle.variables && (
        <FrozenNotice
          id={toggleErrorId}
          error={toggleFrozen}
          pending={toggle.isPending}
          onOverride={(reason) =>
            toggle.variables &&
            toggle.mutate({ on: toggle.variables.on, version: base.version, override: reason })
          }
        />
      )}
      {toggleConflict && (
        <ConflictNotice
          what={`${flag.key} in ${env.name}`}
          who={toggleConflict.current.updatedBy}
          before={fieldsOf(toggleConflict.before)}
          current={fieldsOf(toggleConflict.current)}
          retryLabel={toggleConflict.on ? "Turn it on anyway" : "Turn it off anyway"}
          onRetry={() => toggle.mutate({ on: toggleConflict.on, version: toggleConflict.current.version })}
          onDismiss={() => setToggleConflict(null)}
        />
      )}
      {filed && <ChangeRequestNotice request={filed} onDismiss={() => setFiled(null)} />}
      <EnvironmentUsage flag={flag.key} env={envKey} />
      {killed !== null && (
        <KillNotice flag={flag.key} env={env} version={killed} onDismiss={() => setKilled(null)} />
      )}
      {newerOnServer && dirty && (
        <div className="banner" role="status">
          {state.data?.updatedBy ?? "Someone"} changed this flag while you were editing. Saving will show
          their change first.
        </div>
      )}
      {invalid && (
        <div className="banner banner-error" role="alert">
          <strong>Not saved.</strong>{" "}
          {errors.unmapped.length === 0 ? (
            "The server's reasons are shown beside the fields below."
          ) : (
            <ul>
              {errors.unmapped.map((e) => (
                <li key={`${e.path}-${e.message}`}>
                  {e.path}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <Field label="When off, serve" error={errors.at(fieldOf.offVariation)}>
        <select
          value={draft.offVariation}
          onChange={(e) => setDraft({ ...draft, offVariation: e.target.value })}
        >
          {flag.variations.map((v) => (
            <option key={v.key} value={v.key}>
              {v.key}
            </option>
          ))}
        </select>
      </Field>
      <TargetsEditor
        state={draft}
        variations={flag.variations}
        error={errors.at(fieldOf.targets)}
        onChange={setDraft}
      />
      <RuleEditor
        state={draft}
        variations={flag.variations}
        segments={segments}
        errors={errors}
        onChange={setDraft}
      />
      <section aria-label="Default rule">
        <h3>Default rule</h3>
        <ServeEditor
          serve={draft.fallthrough}
          variations={flag.variations}
          label="Default rule"
          error={errors.at(fieldOf.fallthrough)}
          onChange={(fallthrough) => setDraft({ ...draft, fallthrough })}
        />
      </section>
      <PrerequisitesEditor flag={flag.key} env={envKey} state={draft} errors={errors} onChange={setDraft} />
      {canEdit && (
        <div className="save-bar">
          <button
            type="button"
            className="button button-primary"
            disabled={!dirty}
            onClick={() => setSaving(true)}
          >
            Review and save
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty}
            onClick={() => {
              setDraft(fieldsOf(base));
              setInvalid(null);
            }}
          >
            Discard edits
          </button>
        </div>
      )}
      <Preview env={envKey} flag={flag} state={draft} />
      <ShadowPanel env={envKey} flag={flag.key} />
      {saving && (
        <SaveFlow
          env={envKey}
          flag={flag.key}
          base={base}
          draft={draft}
          onSaved={(result) => {
            setSaving(false);
            settle(result);
          }}
          onInvalid={(error) => {
            setSaving(false);
            setInvalid({ error, draft });
          }}
          onReload={() => {
            setSaving(false);
            reload();
          }}
          onClose={() => setSaving(false)}
        />
      )}
      {killing && (
        <KillDialog
          flag={flag.key}
          env={envKey}
          envName={env.name}
          onClose={() => setKilling(false)}
          onKilled={(result) => {
            adopt(result.state);
            setKilled(result.rulesetVersions[envKey] ?? null);
          }}
        />
      )}
    </div>
  );
}

/** Segment keys of the environment, for the clause editor's segment picker. */
function useSegmentKeys(env: string): string[] {
  return useSegmentList(env, { select: (r) => r.segments.map((s) => s.key) }).data ?? [];
}
