/**
 * @module A write refused because the environment is frozen (423): the server's message, and for admins a
 * way to write through with a reason (sent in the override header, recorded in the audit log).
 */
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useCan } from "../auth/session.js";
import { Field } from "../components/Field.js";
import { freezeKey } from "./api.js";
import { isFrozen } from "./override.js";

export interface FrozenNoticeProps {
  error: unknown;
  /** Retries the write with the override reason; without it admins are only told. */
  onOverride?: (reason: string) => void;
  pending?: boolean;
  /** For the control the refusal is about to point at (`aria-describedby`). */
  id?: string;
}

export function FrozenNotice({ error, onOverride, pending = false, id }: FrozenNoticeProps) {
  const frozen = isFrozen(error);
  const client = useQueryClient();
  // The banner polls; a refusal is news now, so show the freeze everywhere at once.
  useEffect(() => {
    if (frozen) void client.invalidateQueries({ queryKey: freezeKey });
  }, [frozen, client]);
  if (!frozen) return null;
  return (
    <div className="banner banner-error frozen-notice" role="alert" id={id}>
      <p>
        <strong>{error.title}</strong> {error.detail}
      </p>
      {onOverride && <OverrideForm onOverride={onOverride} pending={pending} />}
    </div>
  );
}

function OverrideForm({ onOverride, pending }: { onOverride: (reason: string) => void; pending: boolean }) {
  const isAdmin = useCan("admin");
  const [reason, setReason] = useState("");
  if (!isAdmin) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onOverride(reason.trim());
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Override the freeze">
      <Field
        label="Override reason"
        hint="As an admin you can write through the freeze; this goes into the audit log."
      >
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. INC-1234 hotfix"
        />
      </Field>
      <button type="submit" className="button button-danger" disabled={!reason.trim() || pending}>
        Override the freeze
      </button>
    </form>
  );
}
