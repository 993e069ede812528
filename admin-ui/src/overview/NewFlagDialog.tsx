/**
 * @module "New flag": key, name, kind and variations (booleans get true/false), tags, owner. The flag is
 * created off everywhere; the API's messages appear next to the field they are about.
 */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.js";
import { type NewFlagInput, useCreateFlag } from "../api/flags.js";
import type { FlagKind, JsonValue, Variation } from "../api/types.js";
import { Dialog } from "../components/Dialog.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";

interface VariationDraft {
  key: string;
  value: string;
}

const FIELDS = ["key", "name", "kind", "description", "variations", "tags", "owner", "temporary"];

const STARTING_VARIATIONS: Record<Exclude<FlagKind, "boolean">, VariationDraft[]> = {
  string: [
    { key: "control", value: "control" },
    { key: "treatment", value: "treatment" },
  ],
  number: [
    { key: "low", value: "10" },
    { key: "high", value: "100" },
  ],
  json: [
    { key: "default", value: "{}" },
    { key: "new", value: '{"enabled": true}' },
  ],
};

/** Turns a typed value into the flag kind's JSON value; a local error names the row when it cannot. */
export function parseValue(kind: FlagKind, text: string): { value: JsonValue } | { error: string } {
  if (kind === "string") return { value: text };
  if (kind === "number") {
    const n = Number(text.trim());
    return text.trim() !== "" && Number.isFinite(n) ? { value: n } : { error: "must be a number" };
  }
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    return { error: "must be valid JSON" };
  }
}

export function NewFlagDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (key: string) => void;
}) {
  const create = useCreateFlag();
  const [key, setKey] = useState("");
  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [kind, setKind] = useState<FlagKind>("boolean");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const [owner, setOwner] = useState("");
  const [temporary, setTemporary] = useState(true);
  const [variations, setVariations] = useState<VariationDraft[]>([]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const apiError = create.error instanceof ApiError ? create.error : null;
  const errorFor = (path: string) => localErrors[path] ?? apiError?.fieldError(path);

  const chooseKind = (next: FlagKind) => {
    setKind(next);
    setVariations(next === "boolean" ? [] : STARTING_VARIATIONS[next]);
  };
  const editVariation = (index: number, part: Partial<VariationDraft>) =>
    setVariations((list) => list.map((v, i) => (i === index ? { ...v, ...part } : v)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const parsed: Variation[] = [];
    variations.forEach((draft, i) => {
      const result = parseValue(kind, draft.value);
      if ("error" in result) errors[`variations.${i}.value`] = result.error;
      else parsed.push({ key: draft.key.trim(), value: result.value });
    });
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const input: NewFlagInput = {
      key: key.trim(),
      name: name.trim() || key.trim(),
      kind,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(kind === "boolean" ? {} : { variations: parsed }),
      tags: tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      owner: owner.trim() || null,
      temporary,
    };
    create.mutate(input, { onSuccess: (result) => onCreated(result.flag.key) });
  };

  const unplaced = apiError?.otherErrors(FIELDS) ?? [];
  return (
    <Dialog title="New flag" onClose={onClose}>
      <form onSubmit={submit} noValidate className="form-grid">
        {create.error && (!apiError?.errors.length || unplaced.length > 0) && (
          <ErrorBanner error={create.error} title="The flag was not created" />
        )}
        <Field label="Key" hint="Used in code: letters, digits, '.', '_' and '-'." error={errorFor("key")}>
          <input
            data-autofocus
            value={key}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setKey(e.target.value);
              if (!nameTouched) setName(humanize(e.target.value));
            }}
          />
        </Field>
        <Field label="Name" error={errorFor("name")}>
          <input
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameTouched(true);
            }}
          />
        </Field>
        <Field label="Kind" error={errorFor("kind")}>
          <select value={kind} onChange={(e) => chooseKind(e.target.value as FlagKind)}>
            <option value="boolean">Boolean (on / off)</option>
            <option value="string">String</option>
            <option value="number">Number</option>
            <option value="json">JSON</option>
          </select>
        </Field>
        {kind !== "boolean" && (
          <fieldset className="variations">
            <legend>Variations</legend>
            {errorFor("variations") && !variations.some((_, i) => errorFor(`variations.${i}`)) && (
              <p className="field-error">{errorFor("variations")}</p>
            )}
            {variations.map((v, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their keys are being typed
              <div className="variation-row" key={i}>
                <Field label={`Variation ${i + 1} key`} error={errorFor(`variations.${i}.key`)}>
                  <input value={v.key} onChange={(e) => editVariation(i, { key: e.target.value })} />
                </Field>
                <Field label={`Variation ${i + 1} value`} error={errorFor(`variations.${i}.value`)}>
                  <input value={v.value} onChange={(e) => editVariation(i, { value: e.target.value })} />
                </Field>
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={`Remove variation ${i + 1}`}
                  disabled={variations.length <= 1}
                  onClick={() => setVariations((list) => list.filter((_, j) => j !== i))}
                >
                  ✕
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button"
              onClick={() => setVariations((list) => [...list, { key: `v${list.length + 1}`, value: "" }])}
            >
              Add variation
            </button>
          </fieldset>
        )}
        <Field label="Description" error={errorFor("description")}>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <Field label="Tags" hint="Comma-separated, e.g. checkout, payments" error={errorFor("tags")}>
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
        <Field label="Owner" hint="A person or team" error={errorFor("owner")}>
          <input value={owner} onChange={(e) => setOwner(e.target.value)} />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={temporary} onChange={(e) => setTemporary(e.target.checked)} />
          Temporary (a release flag to remove once fully rolled out)
        </label>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create flag"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** `new-checkout` → `New checkout`: a starting name the user can change. */
export function humanize(key: string): string {
  const words = key.replace(/[._-]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : "";
}
