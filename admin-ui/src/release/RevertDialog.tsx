/**
 * @module Reverting a promotion: confirm first (it puts back exactly the setups it replaced). If a target
 * was edited after the promotion the server refuses (409); the dialog then says what changed since and
 * offers to revert anyway (`force`), overwriting that edit.
 */
import { useState } from "react";
import { ApiError } from "../api/client.js";
import type { FlagState } from "../api/types.js";
import { Dialog } from "../components/Dialog.js";
import { DiffTable } from "../components/DiffTable.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { fieldsOf } from "../flag/SaveFlow.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen } from "../freezes/override.js";
import { diffValues } from "../history/diff.js";
import { type PromotionDetail, usePromotionActions } from "./api.js";

export function RevertDialog({ promotion, onClose }: { promotion: PromotionDetail; onClose: () => void }) {
  const { decide } = usePromotionActions();
  const [reason, setReason] = useState("");
  const error = decide.error;
  const changedSince = error instanceof ApiError && error.status === 409 ? error : null;
  const revert = (options: { force?: boolean; override?: string } = {}) =>
    decide.mutate(
      { id: promotion.id, verdict: "revert", reason: reason.trim() || undefined, ...options },
      { onSuccess: onClose },
    );
  const forced = decide.variables?.verdict === "revert" && decide.variables.force === true;
  return (
    <Dialog title={`Revert promotion #${promotion.id}?`} onClose={onClose} tone="danger">
      <p>
        Puts back exactly the setups it replaced in {promotion.to.join(", ")} for {promotion.flags.join(", ")}
        . This is one audit entry.
      </p>
      <Field label="Reason (goes into the audit log)">
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      {changedSince ? (
        <ChangedSince error={changedSince} promotion={promotion} />
      ) : isFrozen(error) ? (
        <FrozenNotice
          error={error}
          pending={decide.isPending}
          onOverride={(override) => revert({ force: forced, override })}
        />
      ) : (
        <ErrorBanner error={error} />
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        {changedSince ? (
          <button
            type="button"
            className="button button-danger"
            disabled={decide.isPending}
            onClick={() => revert({ force: true })}
          >
            Revert anyway, overwriting those changes
          </button>
        ) : (
          <button
            type="button"
            className="button button-danger"
            disabled={decide.isPending}
            onClick={() => revert()}
          >
            Revert #{promotion.id}
          </button>
        )}
      </div>
    </Dialog>
  );
}

/** The server's explanation, and where it names the edited state, that edit against what the promotion wrote. */
function ChangedSince({ error, promotion }: { error: ApiError; promotion: PromotionDetail }) {
  const current = error.current<FlagState>();
  const wrote =
    current &&
    promotion.preview?.targets
      .find((t) => t.environment === current.environment)
      ?.flags.find((f) => f.flag === current.flag)?.after;
  return (
    <div className="banner banner-error" role="alert">
      <p>
        <strong>Changed since the promotion.</strong> {error.detail}
      </p>
      {current && wrote && (
        <DiffTable
          changes={diffValues(fieldsOf(wrote), fieldsOf(current))}
          caption={`${current.flag} in ${current.environment}: what the promotion wrote → now${current.updatedBy ? ` (changed by ${current.updatedBy})` : ""}`}
        />
      )}
    </div>
  );
}
