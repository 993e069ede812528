/**
 * @module Saving an edited state: the diff first (what will change, field by field), then a PUT carrying
 * the version the edit was based on. If someone else saved in between (409), their change is shown —
 * what they changed since the version this edit started from — and nothing is overwritten unless asked.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../api/client.js";
import { flagPath } from "../api/flags.js";
import type { FlagState, StateFields, StateWrite } from "../api/types.js";
import { Dialog } from "../components/Dialog.js";
import { DiffTable } from "../components/DiffTable.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen, overrideHeaders } from "../freezes/override.js";
import { diffValues } from "../history/diff.js";

export const fieldsOf = (s: StateFields): StateFields => ({
  on: s.on,
  offVariation: s.offVariation,
  targets: s.targets,
  rules: s.rules,
  fallthrough: s.fallthrough,
  prerequisites: s.prerequisites,
  shadow: s.shadow,
});

export interface SaveFlowProps {
  env: string;
  flag: string;
  base: FlagState;
  draft: StateFields;
  onSaved: (result: StateWrite) => void;
  /** The server refused fields of the draft: the editor shows each message beside its field. */
  onInvalid: (error: ApiError) => void;
  onReload: () => void;
  onClose: () => void;
}

export function SaveFlow({ env, flag, base, draft, onSaved, onInvalid, onReload, onClose }: SaveFlowProps) {
  const [reason, setReason] = useState("");
  const [conflict, setConflict] = useState<FlagState | null>(null);
  const save = useMutation({
    mutationFn: ({ version, override }: { version: number; override?: string }) =>
      api<StateWrite>(flagPath(env, flag), {
        method: "PUT",
        body: { ...fieldsOf(draft), ...(reason.trim() ? { reason: reason.trim() } : {}) },
        version,
        headers: overrideHeaders(override),
      }),
    onSuccess: onSaved,
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      if (error.status === 409) setConflict(error.current<FlagState>() ?? null);
      else if (error.errors.length > 0) onInvalid(error);
    },
  });
  const mine = diffValues(fieldsOf(base), fieldsOf(draft));
  // Field errors are shown beside their fields (onInvalid), a freeze in its own notice; the rest here.
  const error =
    save.error &&
    !isFrozen(save.error) &&
    !(save.error instanceof ApiError && (save.error.status === 409 || save.error.errors.length))
      ? save.error
      : null;

  if (conflict) {
    const theirs = diffValues(fieldsOf(base), fieldsOf(conflict));
    return (
      <Dialog title="Someone else changed this flag" onClose={onClose}>
        <p>
          {conflict.updatedBy ?? "Someone"} saved version {conflict.version} while you were editing version{" "}
          {base.version}. Nothing was overwritten. Their change:
        </p>
        <DiffTable changes={theirs} caption="Their change" />
        <DiffTable changes={mine} caption="Your change" />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onReload}>
            Discard mine, load theirs
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => save.mutate({ version: conflict.version })}
          >
            Save mine over theirs
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Review and save" onClose={onClose}>
      <DiffTable changes={mine} caption={`Changes to ${flag} in ${env}`} />
      <label className="field">
        <span>Reason (goes into the audit log)</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ErrorBanner error={error} />
      <FrozenNotice
        error={save.error}
        pending={save.isPending}
        onOverride={(override) => save.mutate({ version: base.version, override })}
      />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Keep editing
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={save.isPending || mine.length === 0}
          onClick={() => save.mutate({ version: base.version })}
        >
          Save
        </button>
      </div>
    </Dialog>
  );
}
