/**
 * @module What a promotion does to each target, per flag: the server's readable change lines, and the
 * setup before and after field by field. Flags a target already serves identically are only listed.
 */

import { DiffTable } from "../components/DiffTable.js";
import { fieldsOf } from "../flag/SaveFlow.js";
import { diffValues } from "../history/diff.js";
import type { Preview, PreviewFlag } from "./api.js";

export function SetupDiff({ preview }: { preview: Preview }) {
  return (
    <>
      {preview.targets.map((target) => {
        const changed = target.flags.filter((f) => !f.unchanged);
        const same = target.flags.filter((f) => f.unchanged).map((f) => f.flag);
        return (
          <div key={target.environment} className="preview-target">
            {changed.map((f) => (
              <FlagDiff key={f.flag} env={target.environment} flag={f} />
            ))}
            {changed.length === 0 && (
              <p className="empty">{target.environment} already serves exactly this.</p>
            )}
            {same.length > 0 && changed.length > 0 && (
              <p className="muted small">
                Already the same in {target.environment}: {same.join(", ")}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
}

function FlagDiff({ env, flag }: { env: string; flag: PreviewFlag }) {
  const fields = flag.before && flag.after ? diffValues(fieldsOf(flag.before), fieldsOf(flag.after)) : [];
  return (
    <div className="preview-flag">
      <h3>
        {flag.flag} in {env}
      </h3>
      <ul>
        {flag.changes.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {fields.length > 0 && (
        <details>
          <summary>Field by field</summary>
          <DiffTable changes={fields} caption={`${flag.flag} in ${env}: before → after`} />
        </details>
      )}
    </div>
  );
}
