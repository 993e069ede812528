/**
 * @module What a rule (or the default rule) serves: one variation, or a percentage split with a slider per
 * variation that keeps the total at 100%.
 */
import { useId } from "react";
import type { Serve, Variation } from "../api/types.js";
import { setShare, splitOf } from "./draft.js";

export interface ServeEditorProps {
  serve: Serve;
  variations: Variation[];
  label: string;
  /** The server's complaint about what this serves, shown beside it. */
  error?: string;
  onChange: (serve: Serve) => void;
}

const percentText = (p: number) => `${Number.isInteger(p) ? p : p.toFixed(1)}%`;

export function ServeEditor({ serve, variations, label, error, onChange }: ServeEditorProps) {
  const isSplit = "rollout" in serve;
  const split = splitOf(serve, variations);
  const errorId = useId();
  return (
    <fieldset className="serve" aria-label={label}>
      <select
        aria-label={`${label}: serve`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={isSplit ? "__split" : serve.variation}
        onChange={(e) => {
          const v = e.target.value;
          if (v !== "__split") return onChange({ variation: v });
          const first = variations[0]?.key ?? "";
          onChange(setShare({ variation: first }, variations, first, 50));
        }}
      >
        {variations.map((v) => (
          <option key={v.key} value={v.key}>
            {v.name ?? v.key} ({JSON.stringify(v.value)})
          </option>
        ))}
        <option value="__split">a percentage rollout</option>
      </select>
      {isSplit && (
        <div className="split">
          {variations.map((v) => (
            <label key={v.key} className="split-row">
              <span className="split-name">{v.key}</span>
              <input
                type="range"
                min={0}
                max={100}
                step={1}
                aria-label={`${label}: ${v.key} %`}
                value={Math.round(split[v.key] ?? 0)}
                onChange={(e) => onChange(setShare(serve, variations, v.key, Number(e.target.value)))}
              />
              <output>{percentText(split[v.key] ?? 0)}</output>
            </label>
          ))}
        </div>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
