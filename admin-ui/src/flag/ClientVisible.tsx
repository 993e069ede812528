/**
 * @module The flag's client-side visibility (part of its definition, the same in every environment): a
 * checkbox saved at once with the version it was read at. A refusal shows beside it; someone else's
 * change in between shows what they changed.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError, api, errorMessage } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import type { FlagDefinition, FlagWrite } from "../api/types.js";
import { useCan } from "../auth/session.js";
import { ConflictNotice } from "../components/ConflictNotice.js";

/** The parts of a definition people edit (versions and timestamps would only add noise to a diff). */
export const definitionFields = (f: FlagDefinition) => ({
  name: f.name,
  description: f.description,
  variations: f.variations,
  tags: f.tags,
  owner: f.owner,
  temporary: f.temporary,
  clientVisible: f.clientVisible,
  archived: f.archived,
});

interface Conflict {
  wanted: boolean;
  before: FlagDefinition;
  current: FlagDefinition;
}

export function ClientVisible({ flag }: { flag: FlagDefinition }) {
  const client = useQueryClient();
  const canEdit = useCan("editor");
  const errorId = useId();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const update = useMutation({
    mutationFn: ({ clientVisible, version }: { clientVisible: boolean; version: number }) =>
      api<FlagWrite>(`/flags/${encodeURIComponent(flag.key)}`, {
        method: "PATCH",
        body: { clientVisible },
        version,
      }),
    onSuccess: () => setConflict(null),
    onError: (error, { clientVisible }) => {
      const current =
        error instanceof ApiError && error.isConflict ? error.current<FlagDefinition>() : undefined;
      if (current) setConflict({ wanted: clientVisible, before: flag, current });
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.flag(flag.key) }),
  });
  const error = update.error && !conflict ? update.error : null;
  const message =
    error instanceof ApiError
      ? (error.fieldError("clientVisible") ?? errorMessage(error))
      : error && errorMessage(error);
  return (
    <div className="client-visible">
      <label className="inline-check">
        <input
          type="checkbox"
          checked={flag.clientVisible}
          disabled={!canEdit || update.isPending}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? errorId : undefined}
          onChange={(e) => update.mutate({ clientVisible: e.target.checked, version: flag.version })}
        />
        Visible to client-side SDKs (browsers, mobile)
      </label>
      {message && (
        <p className="field-error" id={errorId}>
          {message}
        </p>
      )}
      {conflict && (
        <ConflictNotice
          what={`${flag.key}'s definition`}
          before={definitionFields(conflict.before)}
          current={definitionFields(conflict.current)}
          retryLabel={conflict.wanted ? "Make it visible anyway" : "Hide it anyway"}
          onRetry={() => update.mutate({ clientVisible: conflict.wanted, version: conflict.current.version })}
          onDismiss={() => setConflict(null)}
        />
      )}
    </div>
  );
}
