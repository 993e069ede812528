/** @module Individual targets: pilot users by key, per variation (checked before rules). */
import type { StateFields, Variation } from "../api/types.js";
import { Field } from "../components/Field.js";
import { parseKeys, setTargetKeys } from "./draft.js";
import { useParsedText } from "./parsed-text.js";

export function TargetsEditor({
  state,
  variations,
  error,
  onChange,
}: {
  state: StateFields;
  variations: Variation[];
  /** The server's complaint about the targets. */
  error?: string;
  onChange: (state: StateFields) => void;
}) {
  return (
    <section className="targets" aria-label="Individual targets">
      <h3>Individual targets</h3>
      {variations.map((v, i) => (
        <KeysBox
          key={v.key}
          label={`Serve ${v.key} to (keys, one per line)`}
          keys={state.targets.find((t) => t.variation === v.key)?.values ?? []}
          error={i === 0 ? error : undefined}
          onChange={(keys) => onChange(setTargetKeys(state, v.key, keys))}
        />
      ))}
    </section>
  );
}

const joinKeys = (keys: string[]) => keys.join("\n");

function KeysBox({
  label,
  keys,
  error,
  onChange,
}: {
  label: string;
  keys: string[];
  error?: string;
  onChange: (keys: string[]) => void;
}) {
  const [text, setText] = useParsedText(keys, joinKeys, (t, k) => joinKeys(parseKeys(t)) === joinKeys(k));
  return (
    <Field label={label} error={error}>
      <textarea
        rows={2}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseKeys(e.target.value));
        }}
      />
    </Field>
  );
}
