/** @module One clause of a rule: attribute, operator, values (a segment picker for `is in segment`). */
import { useId } from "react";
import type { Clause, Operator } from "../api/types.js";
import { formatValues, OPERATORS, parseValues, textSays } from "./draft.js";
import { useParsedText } from "./parsed-text.js";

export interface ClauseEditorProps {
  clause: Clause;
  label: string;
  segments: string[];
  /** The server's complaint about this clause, shown beside it. */
  error?: string;
  onChange: (clause: Clause) => void;
  onRemove: () => void;
}

export function ClauseEditor({ clause, label, segments, error, onChange, onRemove }: ClauseEditorProps) {
  const isSegment = clause.op === "segmentMatch";
  const errorId = useId();
  const invalid = error ? { "aria-invalid": true, "aria-describedby": errorId } : {};
  return (
    <fieldset className="clause" aria-label={label}>
      {!isSegment && (
        <input
          aria-label="Attribute"
          className="clause-attribute"
          value={clause.attribute}
          placeholder="country"
          onChange={(e) => onChange({ ...clause, attribute: e.target.value.trim() })}
          {...invalid}
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
          {...invalid}
        >
          <option value="">choose a segment…</option>
          {segments.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      ) : (
        <ValuesInput clause={clause} onChange={onChange} invalid={invalid} />
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
      {error && (
        <p className="field-error clause-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Comma-separated values, parsed on every key press so the draft (and the preview) is always current. */
function ValuesInput({
  clause,
  onChange,
  invalid,
}: {
  clause: Clause;
  onChange: (clause: Clause) => void;
  invalid: Record<string, unknown>;
}) {
  const [text, setText] = useParsedText(clause.values, formatValues, (t, values) =>
    textSays(clause.op, t, values),
  );
  return (
    <input
      aria-label="Values"
      className="clause-values"
      value={text}
      placeholder="DE, FR"
      onChange={(e) => {
        setText(e.target.value);
        onChange({ ...clause, values: parseValues(clause.op, e.target.value) });
      }}
      {...invalid}
    />
  );
}
