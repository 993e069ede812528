/**
 * @module The kill switch's confirmation: names the flag and environment, asks for a reason (it goes
 * into the audit log), and turns the flag off at once. Used by the overview and the flag page.
 */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.js";
import { useKillFlag } from "../api/flags.js";
import type { StateWrite } from "../api/types.js";
import { Dialog } from "../components/Dialog.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";

export interface KillDialogProps {
  flag: string;
  env: string;
  /** The environment's display name, if different from its key. */
  envName?: string;
  onClose: () => void;
  onKilled?: (result: StateWrite) => void;
}

export function KillDialog({ flag, env, envName, onClose, onKilled }: KillDialogProps) {
  const kill = useKillFlag();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const error = kill.error instanceof ApiError ? kill.error : null;
  const where = envName ?? env;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    kill.mutate(
      { env, flag, reason: reason.trim() },
      {
        onSuccess: (result) => {
          onKilled?.(result);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog title={`Kill ${flag} in ${where}?`} onClose={onClose} tone="danger">
      <form onSubmit={submit} noValidate>
        <p>
          The flag turns <strong>off</strong> in <strong>{where}</strong> now and serves its off variation to
          everyone. The reason is recorded in the audit log.
        </p>
        {kill.error && (!error?.errors.length || error.otherErrors(["reason"]).length > 0) && (
          <ErrorBanner error={kill.error} title="The kill did not go through" />
        )}
        <Field
          label="Reason"
          error={error?.fieldError("reason") ?? (missing ? "A kill needs a reason." : undefined)}
        >
          <textarea
            rows={3}
            data-autofocus
            placeholder="e.g. checkout errors spiking since 14:02, INC-1234"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              if (e.target.value.trim()) setMissing(false);
            }}
          />
        </Field>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={kill.isPending}>
            {kill.isPending ? "Killing…" : `Kill in ${where}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
