/**
 * @module Prerequisites: flags of the same environment that must serve a given variation before this one
 * is evaluated at all (otherwise it serves its off variation). Add, remove, choose the flag and the
 * variation it must serve.
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api } from "../api/client.js";
import { useOverview } from "../api/overview.js";
import { queryKeys } from "../api/query.js";
import type { FlagDefinition, Prerequisite, StateFields } from "../api/types.js";
import { addPrerequisite, removePrerequisite, updatePrerequisite } from "./draft.js";
import { idOf } from "./identity.js";
import { fieldOf, NO_ERRORS, type StateErrors } from "./state-errors.js";

export interface PrerequisitesEditorProps {
  flag: string;
  env: string;
  state: StateFields;
  errors?: StateErrors;
  onChange: (state: StateFields) => void;
}

export function PrerequisitesEditor({
  flag,
  env,
  state,
  errors = NO_ERRORS,
  onChange,
}: PrerequisitesEditorProps) {
  const listId = useId();
  const others =
    useOverview((o) => o.flags.filter((f) => f.key !== flag && f.cells[env]).map((f) => f.key)).data ?? [];
  const listError = errors.at(fieldOf.prerequisites);
  return (
    <section className="prerequisites" aria-label="Prerequisites">
      <h3>Prerequisites</h3>
      <p className="muted small">
        Serves its off variation unless each of these flags serves the variation named here.
      </p>
      <datalist id={listId}>
        {others.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      {state.prerequisites.length === 0 && <p className="muted">None.</p>}
      <ol className="prerequisite-list">
        {state.prerequisites.map((p, i) => (
          <PrerequisiteRow
            key={idOf(p)}
            label={`Prerequisite ${i + 1}`}
            prerequisite={p}
            flagList={listId}
            known={others.includes(p.flagKey)}
            error={errors.at(fieldOf.prerequisite(p))}
            onChange={(next) => onChange(updatePrerequisite(state, i, next))}
            onRemove={() => onChange(removePrerequisite(state, i))}
          />
        ))}
      </ol>
      {listError && <p className="field-error">{listError}</p>}
      <button
        type="button"
        className="button"
        onClick={() => onChange(addPrerequisite(state, { flagKey: "", variation: "" }))}
      >
        Add prerequisite
      </button>
    </section>
  );
}

function PrerequisiteRow({
  label,
  prerequisite,
  flagList,
  known,
  error,
  onChange,
  onRemove,
}: {
  label: string;
  prerequisite: Prerequisite;
  flagList: string;
  /** The flag named is one of the environment's (so its variations can be read). */
  known: boolean;
  error?: string;
  onChange: (prerequisite: Prerequisite) => void;
  onRemove: () => void;
}) {
  const errorId = useId();
  const definition = useQuery({
    queryKey: queryKeys.flag(prerequisite.flagKey),
    queryFn: () => api<FlagDefinition>(`/flags/${encodeURIComponent(prerequisite.flagKey)}`),
    enabled: known,
  });
  const variations = definition.data?.variations ?? [];
  const invalid = error ? { "aria-invalid": true, "aria-describedby": errorId } : {};
  return (
    <li>
      <fieldset className="prerequisite" aria-label={label}>
        <input
          aria-label={`${label}: flag`}
          list={flagList}
          value={prerequisite.flagKey}
          placeholder="flag key"
          onChange={(e) => onChange({ flagKey: e.target.value.trim(), variation: "" })}
          {...invalid}
        />
        <span>serves</span>
        <select
          aria-label={`${label}: variation`}
          value={prerequisite.variation}
          onChange={(e) => onChange({ ...prerequisite, variation: e.target.value })}
          {...invalid}
        >
          <option value="">choose a variation…</option>
          {variations.map((v) => (
            <option key={v.key} value={v.key}>
              {v.name ?? v.key} ({JSON.stringify(v.value)})
            </option>
          ))}
          {prerequisite.variation && !variations.some((v) => v.key === prerequisite.variation) && (
            <option value={prerequisite.variation}>{prerequisite.variation}</option>
          )}
        </select>
        <button
          type="button"
          className="button button-quiet"
          aria-label={`Remove ${label}`}
          onClick={onRemove}
        >
          ×
        </button>
        {!known && prerequisite.flagKey && (
          <span className="muted small">no flag “{prerequisite.flagKey}” in this environment</span>
        )}
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </fieldset>
    </li>
  );
}
