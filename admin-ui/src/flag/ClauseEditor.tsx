/** @module One clause of a rule: attribute, operator, values (a segment picker for `is in segment`). */
import type { Clause, Operator } from "../api/types.js";
import { formatValues, OPERATORS, parseValues } from "./draft.js";

export interface ClauseEditorProps {
  clause: Clause;
  label: string;
  segments: string[];
  onChange: (clause: Clause) => void;
  onRemove: () => void;
}

export function ClauseEditor({ clause, label, segments, onChange, onRemove }: ClauseEditorProps) {
  const isSegment = clause.op === "segmentMatch";
  return (
    <fieldset className="clause" aria-label={label}>
      {!isSegment && (
        <input
          aria-label="Attribute"
          className="clause-attribute"
          value={clause.attribute}
          placeholder="country"
          onChange={(e) => onChange({ ...clause, attribute: e.target.value.trim() })}
        />
      )}
      <select
        aria-label="Operator"
        value={clause.op}
        onChange={(e) => {
          const op = e.target.value as Operator;
          const attribute = op === "segmentMatch" ? "targetingKey" : clause.attribute;
          onChange({ ...clause, op, attribute, values: op === clause.op ? clause.values : [] });
        }}
      >
        {OPERATORS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {isSegment ? (
        <select
          aria-label="Segment"
          value={String(clause.values[0] ?? "")}
          onChange={(e) => onChange({ ...clause, values: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">choose a segment…</option>
          {segments.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      ) : (
        <input
          aria-label="Values"
          className="clause-values"
          defaultValue={formatValues(clause.values)}
          placeholder="DE, FR"
          onBlur={(e) => onChange({ ...clause, values: parseValues(clause.op, e.target.value) })}
        />
      )}
      <label className="inline-check">
        <input
          type="checkbox"
          checked={clause.negate === true}
          onChange={(e) => onChange({ ...clause, negate: e.target.checked || undefined })}
        />
        not
      </label>
      <button type="button" className="button button-quiet" aria-label={`Remove ${label}`} onClick={onRemove}>
        ×
      </button>
    </fieldset>
  );
}
