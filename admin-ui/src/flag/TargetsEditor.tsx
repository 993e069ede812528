/** @module Individual targets: pilot users by key, per variation (checked before rules). */
import type { StateFields, Variation } from "../api/types.js";
import { parseKeys } from "./draft.js";

export function TargetsEditor({
  state,
  variations,
  onChange,
}: {
  state: StateFields;
  variations: Variation[];
  onChange: (state: StateFields) => void;
}) {
  const keysFor = (variation: string) => state.targets.find((t) => t.variation === variation)?.values ?? [];
  const setKeys = (variation: string, values: string[]) => {
    const others = state.targets.filter((t) => t.variation !== variation);
    onChange({ ...state, targets: values.length ? [...others, { variation, values }] : others });
  };
  return (
    <section className="targets" aria-label="Individual targets">
      <h3>Individual targets</h3>
      {variations.map((v) => (
        <label key={v.key} className="field">
          <span>Serve {v.key} to (keys, one per line)</span>
          <textarea
            rows={2}
            defaultValue={keysFor(v.key).join("\n")}
            onBlur={(e) => setKeys(v.key, parseKeys(e.target.value))}
          />
        </label>
      ))}
    </section>
  );
}
