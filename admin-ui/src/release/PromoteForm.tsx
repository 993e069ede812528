/**
 * @module The promote form: what (a release tag, a chosen set of flags, or one flag), from which
 * environment, to which ones (one or several). Submitting previews; nothing changes until promoted.
 */
import { type FormEvent, useMemo, useState } from "react";
import { useEnvironments } from "../api/flags.js";
import { useOverview } from "../api/overview.js";
import { Field } from "../components/Field.js";
import type { Selection } from "./api.js";
import { nextAfter, type PromoteChoice, selectionOf, type What } from "./selection.js";

export interface PromoteFormProps {
  choice: PromoteChoice;
  onChange: (choice: PromoteChoice) => void;
  onPreview: (selection: Selection) => void;
}

const WHATS: { value: What; label: string }[] = [
  { value: "tag", label: "A release (every flag with a tag)" },
  { value: "flags", label: "Chosen flags" },
  { value: "flag", label: "One flag" },
];

export function PromoteForm({ choice, onChange, onPreview }: PromoteFormProps) {
  const envs = useEnvironments().data ?? [];
  const [tried, setTried] = useState(false);
  const result = selectionOf(choice);
  const set = (changes: Partial<PromoteChoice>) => onChange({ ...choice, ...changes });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if ("selection" in result) onPreview(result.selection);
  };
  return (
    <form className="promote-form" onSubmit={submit} aria-label="Promote" noValidate>
      <fieldset className="choice-group">
        <legend>What to promote</legend>
        {WHATS.map((w) => (
          <label key={w.value} className="inline-check">
            <input
              type="radio"
              name="what"
              value={w.value}
              checked={choice.what === w.value}
              onChange={() => set({ what: w.value })}
            />
            {w.label}
          </label>
        ))}
      </fieldset>
      <WhatInput choice={choice} set={set} />
      <div className="inline-form">
        <Field label="From">
          <select
            value={choice.from}
            onChange={(e) =>
              set({
                from: e.target.value,
                to: nextAfter(
                  envs.map((env) => env.key),
                  e.target.value,
                ),
              })
            }
          >
            {envs.map((e) => (
              <option key={e.key} value={e.key}>
                {e.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="choice-group">
          <legend>To</legend>
          {envs
            .filter((e) => e.key !== choice.from)
            .map((e) => (
              <label key={e.key} className="inline-check">
                <input
                  type="checkbox"
                  checked={choice.to.includes(e.key)}
                  onChange={(event) =>
                    set({
                      to: event.target.checked ? [...choice.to, e.key] : choice.to.filter((t) => t !== e.key),
                    })
                  }
                />
                {e.name}
                {e.requiresApproval && <span className="muted small"> (requires approval)</span>}
              </label>
            ))}
        </fieldset>
      </div>
      {tried && "missing" in result && <p className="field-error">{result.missing}</p>}
      <button type="submit" className="button button-primary">
        Preview promotion
      </button>
    </form>
  );
}

function WhatInput({ choice, set }: { choice: PromoteChoice; set: (c: Partial<PromoteChoice>) => void }) {
  const flags = useOverview().data?.flags ?? [];
  const tags = useMemo(() => [...new Set(flags.flatMap((f) => f.tags))].sort(), [flags]);
  if (choice.what === "tag") {
    return (
      <>
        <Field label="Release tag">
          <input
            value={choice.tag}
            list="release-tags"
            onChange={(e) => set({ tag: e.target.value })}
            placeholder="release-42"
          />
        </Field>
        <Suggestions id="release-tags" values={tags} />
      </>
    );
  }
  if (choice.what === "flag") {
    return (
      <>
        <Field label="Flag">
          <input
            value={choice.flag}
            list="release-flags"
            onChange={(e) => set({ flag: e.target.value })}
            placeholder="new-checkout"
          />
        </Field>
        <Suggestions id="release-flags" values={flags.map((f) => f.key)} />
      </>
    );
  }
  return (
    <FlagPicker keys={flags.map((f) => f.key)} chosen={choice.flags} onChange={(f) => set({ flags: f })} />
  );
}

const SHOWN = 50;

/** Checkboxes for the chosen flags; a filter narrows thousands of flags to a few. */
function FlagPicker({
  keys,
  chosen,
  onChange,
}: {
  keys: string[];
  chosen: string[];
  onChange: (flags: string[]) => void;
}) {
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const matches = keys.filter((k) => !chosen.includes(k) && k.toLowerCase().includes(needle));
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...chosen, key] : chosen.filter((k) => k !== key));
  return (
    <fieldset className="flag-picker">
      <legend>Flags ({chosen.length} chosen)</legend>
      <Field label="Find flags">
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </Field>
      <ul>
        {[...chosen, ...matches.slice(0, SHOWN)].map((key) => (
          <li key={key}>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={chosen.includes(key)}
                onChange={(e) => toggle(key, e.target.checked)}
              />
              {key}
            </label>
          </li>
        ))}
      </ul>
      {matches.length > SHOWN && (
        <p className="muted small">{matches.length - SHOWN} more: type to narrow the list.</p>
      )}
    </fieldset>
  );
}

function Suggestions({ id, values }: { id: string; values: string[] }) {
  return (
    <datalist id={id}>
      {values.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}
