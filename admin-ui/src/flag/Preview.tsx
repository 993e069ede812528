/** @module The live preview: type a user context, see what the edited (unsaved) state serves and why. */

import type { Decision, EvaluationContext, Segment } from "@switchyard/core";
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import type { FlagDefinition, StateFields } from "../api/types.js";
import { describeDecision } from "./describe-decision.js";
import { usePrerequisiteRuleset } from "./prerequisites.js";
import { parseContext, previewDecision, segmentKeysUsed } from "./preview.js";

export function Preview({ env, flag, state }: { env: string; flag: FlagDefinition; state: StateFields }) {
  const [text, setText] = useState('{ "targetingKey": "user-alice", "country": "DE" }');
  const used = segmentKeysUsed(state);
  const segments = useQueries({
    queries: used.map((key) => ({
      queryKey: queryKeys.segment(env, key),
      queryFn: () =>
        api<Segment>(`/environments/${encodeURIComponent(env)}/segments/${encodeURIComponent(key)}`),
      staleTime: 30_000,
    })),
  });
  const prerequisites = usePrerequisiteRuleset(env, flag.key, state);
  const loaded = [
    ...segments.map((s) => s.data).filter((s): s is Segment => s !== undefined),
    ...(prerequisites.data?.segments ?? []).filter((s) => !used.includes(s.key)),
  ];
  const context = parseContext(text);
  const result: Decision | { error: string } = prerequisites.error
    ? { error: `the prerequisites could not be loaded (${errorMessage(prerequisites.error)})` }
    : !prerequisites.data
      ? { error: "loading the prerequisite flags…" }
      : "error" in context && typeof context.error === "string"
        ? { error: context.error }
        : previewDecision(flag, state, loaded, context as EvaluationContext, prerequisites.data.flags);
  return (
    <section className="preview" aria-label="Preview">
      <h3>Preview</h3>
      <label className="field">
        <span>User context (JSON, or just a key)</span>
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <output className="preview-result" aria-live="polite">
        {"reason" in result ? (
          <>
            <strong>{JSON.stringify(result.value)}</strong> — {describeDecision(result, state)}
          </>
        ) : (
          <span className="field-error">Cannot evaluate: {result.error}</span>
        )}
      </output>
    </section>
  );
}
