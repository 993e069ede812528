/**
 * @module The rules of a flag in one environment, in order (the first match serves): add, edit, remove,
 * reorder by dragging or with the keyboard-reachable up/down buttons.
 */
import { useState } from "react";
import type { Rule, StateFields, Variation } from "../api/types.js";
import { ClauseEditor } from "./ClauseEditor.js";
import { addClause, addRule, moveRule, removeClause, removeRule, updateClause, updateRule } from "./draft.js";
import { idOf } from "./identity.js";
import { ServeEditor } from "./ServeEditor.js";
import { fieldOf, NO_ERRORS, type StateErrors } from "./state-errors.js";

export interface RuleEditorProps {
  state: StateFields;
  variations: Variation[];
  segments: string[];
  /** The server's complaints from the last save, by field. */
  errors?: StateErrors;
  onChange: (state: StateFields) => void;
}

export function RuleEditor({ state, variations, segments, errors = NO_ERRORS, onChange }: RuleEditorProps) {
  const [dragging, setDragging] = useState<number | null>(null);
  const first = variations[0]?.key ?? "";
  return (
    <section className="rules" aria-label="Rules">
      <h3>Rules</h3>
      {state.rules.length === 0 && <p className="muted">No rules: everyone gets the default rule.</p>}
      <ol className="rule-list">
        {state.rules.map((rule, index) => (
          <li
            key={rule.id}
            className={`rule${dragging === index ? " dragging" : ""}`}
            draggable
            onDragStart={() => setDragging(index)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => {
              if (dragging !== null) onChange(moveRule(state, dragging, index));
              setDragging(null);
            }}
            onDragEnd={() => setDragging(null)}
            aria-label={`Rule ${index + 1}`}
          >
            <div className="rule-head">
              <span className="drag-handle" aria-hidden>
                ⠿
              </span>
              <strong>Rule {index + 1}</strong>
              <button
                type="button"
                className="button button-quiet"
                aria-label={`Move rule ${index + 1} up`}
                disabled={index === 0}
                onClick={() => onChange(moveRule(state, index, index - 1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button-quiet"
                aria-label={`Move rule ${index + 1} down`}
                disabled={index === state.rules.length - 1}
                onClick={() => onChange(moveRule(state, index, index + 1))}
              >
                ↓
              </button>
              <button
                type="button"
                className="button button-quiet"
                aria-label={`Remove rule ${index + 1}`}
                onClick={() => onChange(removeRule(state, index))}
              >
                Remove
              </button>
            </div>
            {errors.at(fieldOf.rule(rule)) && <p className="field-error">{errors.at(fieldOf.rule(rule))}</p>}
            <RuleBody
              rule={rule}
              index={index}
              variations={variations}
              segments={segments}
              errors={errors}
              onChange={(next) => onChange(updateRule(state, index, next))}
            />
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => onChange(addRule(state, first))}>
        Add rule
      </button>
    </section>
  );
}

function RuleBody({
  rule,
  index,
  variations,
  segments,
  errors,
  onChange,
}: {
  rule: Rule;
  index: number;
  variations: Variation[];
  segments: string[];
  errors: StateErrors;
  onChange: (rule: Rule) => void;
}) {
  return (
    <div className="rule-body">
      <p className="muted small">If all of:</p>
      {rule.clauses.map((clause, i) => (
        <ClauseEditor
          key={idOf(clause)}
          clause={clause}
          label={`Rule ${index + 1} clause ${i + 1}`}
          segments={segments}
          error={errors.at(fieldOf.clause(clause))}
          onChange={(c) => onChange(updateClause(rule, i, c))}
          onRemove={() => onChange(removeClause(rule, i))}
        />
      ))}
      <button type="button" className="button button-quiet" onClick={() => onChange(addClause(rule))}>
        + condition
      </button>
      <ServeEditor
        serve={rule.serve}
        variations={variations}
        label={`Rule ${index + 1}`}
        error={errors.at(fieldOf.serve(rule))}
        onChange={(serve) => onChange({ ...rule, serve })}
      />
    </div>
  );
}
