/**
 * @module A segment's attribute rules: anyone matching every clause of a rule is in the segment. Rules keep
 * all their clauses (add, edit, remove each); saving carries the version the edit started from, and
 * someone else's change in between is shown instead of overwritten. The server's complaints show beside
 * the rule or clause they are about.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, api } from "../api/client.js";
import type { Clause } from "../api/types.js";
import { ConflictNotice } from "../components/ConflictNotice.js";
import { FormErrors } from "../components/FormErrors.js";
import { ClauseEditor } from "../flag/ClauseEditor.js";
import { carry, idOf } from "../flag/identity.js";
import { diffValues } from "../history/diff.js";

export interface SegmentRule {
  id?: string;
  clauses: Clause[];
}

export interface SegmentView {
  key: string;
  name: string;
  description: string;
  included: string[];
  excluded: string[];
  rules: SegmentRule[];
  version: number;
}

const newClause = (): Clause => ({ attribute: "email", op: "endsWith", values: [] });

/** `rules.1.clauses.0.values` → the identity of that clause (or rule) in the rules that were sent. */
function errorsByItem(error: ApiError, rules: SegmentRule[]): Map<string, string> {
  const byItem = new Map<string, string>();
  for (const e of error.errors) {
    const [top, i, part, j] = e.path.split(".");
    const rule = top === "rules" ? rules[Number(i)] : undefined;
    if (!rule) continue;
    const clause = part === "clauses" ? rule.clauses[Number(j)] : undefined;
    const item = clause ? idOf(clause) : idOf(rule);
    if (!byItem.has(item)) byItem.set(item, e.message);
  }
  return byItem;
}

export function SegmentRules({
  path,
  segment,
  onSaved,
}: {
  path: string;
  segment: SegmentView;
  onSaved: () => void;
}) {
  const [base, setBase] = useState(segment);
  const [rules, setRules] = useState(segment.rules);
  const [conflict, setConflict] = useState<SegmentView | null>(null);
  const [invalid, setInvalid] = useState<{ error: ApiError; rules: SegmentRule[] } | null>(null);
  const dirty = diffValues(base.rules, rules).length > 0;
  const adopt = (next: SegmentView) => {
    setBase(next);
    setRules(next.rules);
    setInvalid(null);
  };

  // Someone else's saved rules show up unless there are unsaved edits (then saving shows the conflict).
  useEffect(() => {
    if (segment.version === base.version || dirty) return;
    setBase(segment);
    setRules(segment.rules);
    setInvalid(null);
  }, [segment, base.version, dirty]);

  const save = useMutation({
    mutationFn: (version: number) =>
      api<{ segment: SegmentView }>(path, { method: "PATCH", body: { rules, version } }),
    onSuccess: (result) => {
      setConflict(null);
      adopt(result.segment);
      onSaved();
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const current = error.isConflict ? error.current<SegmentView>() : undefined;
      if (current) setConflict(current);
      else if (error.errors.length > 0) setInvalid({ error, rules });
    },
  });
  const errors = invalid ? errorsByItem(invalid.error, invalid.rules) : new Map<string, string>();
  const setRule = (index: number, rule: SegmentRule) =>
    setRules(rules.map((r, i) => (i === index ? carry(r, rule) : r)));

  return (
    <fieldset className="segment-rules">
      <legend>Attribute rules (anyone matching every clause of a rule is in the segment)</legend>
      {rules.length === 0 && <p className="muted">No rules: only the keys above are in.</p>}
      {rules.map((rule, i) => (
        <fieldset key={idOf(rule)} className="segment-rule" aria-label={`Segment rule ${i + 1}`}>
          <div className="rule-head">
            <strong>Rule {i + 1}</strong>
            <button
              type="button"
              className="button button-quiet"
              aria-label={`Remove segment rule ${i + 1}`}
              onClick={() => setRules(rules.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
          {errors.get(idOf(rule)) && <p className="field-error">{errors.get(idOf(rule))}</p>}
          {rule.clauses.map((clause, j) => (
            <ClauseEditor
              key={idOf(clause)}
              label={`Segment rule ${i + 1} clause ${j + 1}`}
              clause={clause}
              segments={[]}
              error={errors.get(idOf(clause))}
              onChange={(next) =>
                setRule(i, { ...rule, clauses: rule.clauses.map((c, k) => (k === j ? carry(c, next) : c)) })
              }
              onRemove={() => setRule(i, { ...rule, clauses: rule.clauses.filter((_, k) => k !== j) })}
            />
          ))}
          <button
            type="button"
            className="button button-quiet"
            onClick={() => setRule(i, { ...rule, clauses: [...rule.clauses, newClause()] })}
          >
            + condition
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="button button-quiet"
        onClick={() => setRules([...rules, { clauses: [newClause()] }])}
      >
        + rule
      </button>
      <button
        type="button"
        className="button"
        onClick={() => save.mutate(base.version)}
        disabled={save.isPending || !dirty}
      >
        Save rules
      </button>
      {conflict && (
        <ConflictNotice
          what={`the rules of ${segment.name}`}
          before={base.rules}
          current={conflict.rules}
          retryLabel="Save mine over theirs"
          onRetry={() => save.mutate(conflict.version)}
          onDismiss={() => {
            adopt(conflict);
            setConflict(null);
          }}
        />
      )}
      {!conflict && <FormErrors error={save.error} fields={["rules"]} title="The rules were not saved" />}
    </fieldset>
  );
}
