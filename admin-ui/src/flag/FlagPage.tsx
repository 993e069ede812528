/**
 * @module `/flags/:key`: one flag, one environment at a time (tabs, kept in the URL): the on/off switch and
 * kill switch, individual targets, rules, the default rule, prerequisites, a live preview of the unsaved
 * edits, the diff before saving, and the dark-launch panel. Someone else's change shows up live; if it
 * lands while you edit, saving shows it instead of overwriting it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { api } from "../api/client.js";
import { flagPath, useEnvironments } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import { useSegmentList } from "../api/segments.js";
import type { FlagDefinition, FlagState, StateFields, StateWrite } from "../api/types.js";
import { paths } from "../app/paths.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { diffValues } from "../history/diff.js";
import { KillDialog } from "../kill/KillDialog.js";
import { KillNotice } from "../kill/KillNotice.js";
import { ShadowPanel } from "../shadow/ShadowPanel.js";
import { Preview } from "./Preview.js";
import { RuleEditor } from "./RuleEditor.js";
import { fieldsOf, SaveFlow } from "./SaveFlow.js";
import { ServeEditor } from "./ServeEditor.js";
import { TargetsEditor } from "./TargetsEditor.js";
import "./flag.css";

export function FlagPage({ flagKey }: { flagKey: string }) {
  const environments = useEnvironments();
  const search = useSearch();
  const [, navigate] = useLocation();
  const flag = useQuery({
    queryKey: queryKeys.flag(flagKey),
    queryFn: () => api<FlagDefinition>(`/flags/${encodeURIComponent(flagKey)}`),
  });
  const envs = environments.data ?? [];
  const selected = new URLSearchParams(search).get("env") ?? envs[0]?.key;
  const env = envs.find((e) => e.key === selected);

  return (
    <section className="page flag-page" aria-labelledby="flag-title">
      <header className="page-header">
        <h1 id="flag-title">{flagKey}</h1>
        {flag.data && (
          <span className="muted">
            {flag.data.name !== flagKey && `${flag.data.name} · `}
            {flag.data.kind}
            {flag.data.temporary && " · temporary"}
          </span>
        )}
        <div className="page-actions">
          <Link href={`${paths.history}?flag=${encodeURIComponent(flagKey)}`}>History</Link>
        </div>
      </header>
      <ErrorBanner error={flag.error ?? environments.error} />
      {flag.data && <ClientVisible flag={flag.data} />}
      <div role="tablist" aria-label="Environments" className="env-tabs">
        {envs.map((e) => (
          <button
            key={e.key}
            type="button"
            role="tab"
            aria-selected={e.key === selected}
            className="env-tab"
            onClick={() =>
              navigate(`${paths.flag(flagKey)}?env=${encodeURIComponent(e.key)}`, { replace: true })
            }
          >
            <span className="env-dot" style={{ background: e.color ?? "#8a94a0" }} aria-hidden /> {e.name}
          </button>
        ))}
      </div>
      {flag.data && env && (
        <div role="tabpanel" aria-label={env.name}>
          <EnvironmentState key={env.key} flag={flag.data} envKey={env.key} envName={env.name} />
        </div>
      )}
    </section>
  );
}

function ClientVisible({ flag }: { flag: FlagDefinition }) {
  const client = useQueryClient();
  const canEdit = useCan("editor");
  const update = useMutation({
    mutationFn: (clientVisible: boolean) =>
      api(`/flags/${encodeURIComponent(flag.key)}`, {
        method: "PATCH",
        body: { clientVisible },
        version: flag.version,
      }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.flag(flag.key) }),
  });
  return (
    <label className="inline-check client-visible">
      <input
        type="checkbox"
        checked={flag.clientVisible}
        disabled={!canEdit || update.isPending}
        onChange={(e) => update.mutate(e.target.checked)}
      />
      Visible to client-side SDKs (browsers, mobile)
      <ErrorBanner error={update.error} />
    </label>
  );
}

function EnvironmentState({
  flag,
  envKey,
  envName,
}: {
  flag: FlagDefinition;
  envKey: string;
  envName: string;
}) {
  const client = useQueryClient();
  const canEdit = useCan("editor");
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
  const dirty = base && draft ? diffValues(fieldsOf(base), draft).length > 0 : false;

  // Live: adopt the server's newer state unless there are unsaved edits (then saving shows the conflict).
  useEffect(() => {
    if (!state.data) return;
    if (!base || (!dirty && state.data.version !== base.version)) {
      setBase(state.data);
      setDraft(fieldsOf(state.data));
    }
  }, [state.data, base, dirty]);

  const toggle = useMutation({
    mutationFn: (on: boolean) =>
      api<StateWrite>(flagPath(envKey, flag.key), { method: "PATCH", body: { on }, version: base?.version }),
    onMutate: (on) => setBase((b) => (b ? { ...b, on } : b)),
    onSuccess: (result) => adopt(result.state),
    onError: () => void state.refetch().then((r) => r.data && adopt(r.data)),
  });
  const adopt = (next: FlagState) => {
    setBase(next);
    setDraft(fieldsOf(next));
    client.setQueryData(queryKeys.state(envKey, flag.key), next);
    void client.invalidateQueries({ queryKey: queryKeys.overview });
  };

  if (state.error) return <ErrorBanner error={state.error} />;
  if (!base || !draft) return <p className="muted">Loading…</p>;
  const newerOnServer = state.data && state.data.version !== base.version;

  return (
    <div className="env-state">
      <div className="switch-row">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={base.on}
            aria-label={`${flag.key} on in ${envName}`}
            checked={base.on}
            disabled={!canEdit || toggle.isPending || dirty}
            onChange={(e) => toggle.mutate(e.target.checked)}
          />
          <span>{base.on ? "On" : "Off"}</span>
        </label>
        {canEdit && (
          <button type="button" className="button button-danger kill-button" onClick={() => setKilling(true)}>
            Kill in {envName}
          </button>
        )}
        <span className="muted small">
          version {base.version}
          {base.updatedBy && ` · last changed by ${base.updatedBy}`}
        </span>
      </div>
      <ErrorBanner error={toggle.error} />
      {killed !== null && (
        <KillNotice
          flag={flag.key}
          env={{ key: envKey, name: envName } as never}
          version={killed}
          onDismiss={() => setKilled(null)}
        />
      )}
      {newerOnServer && dirty && (
        <div className="banner" role="status">
          {state.data?.updatedBy ?? "Someone"} changed this flag while you were editing. Saving will show
          their change first.
        </div>
      )}
      <label className="field">
        <span>When off, serve</span>
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
      </label>
      <TargetsEditor
        key={`t-${base.version}`}
        state={draft}
        variations={flag.variations}
        onChange={setDraft}
      />
      <RuleEditor state={draft} variations={flag.variations} segments={segments} onChange={setDraft} />
      <section aria-label="Default rule">
        <h3>Default rule</h3>
        <ServeEditor
          serve={draft.fallthrough}
          variations={flag.variations}
          label="Default rule"
          onChange={(fallthrough) => setDraft({ ...draft, fallthrough })}
        />
      </section>
      {draft.prerequisites.length > 0 && (
        <section aria-label="Prerequisites">
          <h3>Prerequisites</h3>
          <ul>
            {draft.prerequisites.map((p) => (
              <li key={p.flagKey}>
                {p.flagKey} serves {p.variation}
              </li>
            ))}
          </ul>
        </section>
      )}
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
          <button type="button" className="button" disabled={!dirty} onClick={() => setDraft(fieldsOf(base))}>
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
            adopt(result.state);
          }}
          onReload={() => {
            setSaving(false);
            void state.refetch().then((r) => r.data && adopt(r.data));
          }}
          onClose={() => setSaving(false)}
        />
      )}
      {killing && (
        <KillDialog
          flag={flag.key}
          env={envKey}
          envName={envName}
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
