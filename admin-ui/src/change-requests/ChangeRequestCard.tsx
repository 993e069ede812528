/**
 * @module One change request: who asked for what, the diff against what is live, the comment thread, and
 * for another editor or admin the decision (a comment goes with it). The requester sees no Approve;
 * viewers may comment but not decide.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/client.js";
import { flagPath } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import type { FlagState } from "../api/types.js";
import { useCan, useMe } from "../auth/session.js";
import { DiffTable } from "../components/DiffTable.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen } from "../freezes/override.js";
import { describeStep, type Step } from "../schedules/steps.js";
import { type ChangeRequest, requestedSchedule, useChangeRequestActions, type Verdict } from "./api.js";
import { overtaken, requestChanges } from "./request-diff.js";

const when = (iso: string) => new Date(iso).toLocaleString();

export function ChangeRequestCard({ request }: { request: ChangeRequest }) {
  const pending = request.status === "pending";
  const schedule = requestedSchedule(request);
  const live = useQuery({
    queryKey: queryKeys.state(request.environment, request.flag),
    queryFn: () => api<FlagState>(flagPath(request.environment, request.flag)),
    enabled: pending && !schedule,
  }).data;
  const titleId = `change-request-${request.id}`;
  return (
    <article className="change-request" id={titleId} aria-labelledby={`${titleId}-title`}>
      <h3 id={`${titleId}-title`}>
        #{request.id} {schedule ? "Schedule for " : ""}
        <code>{request.flag}</code> in {request.environment}{" "}
        <span className={`badge status-${request.status}`}>{request.status}</span>
      </h3>
      <p className="muted">
        Requested by <strong>{request.requestedBy}</strong> on {when(request.createdAt)}, based on version{" "}
        {request.baseVersion}
        {request.decidedBy && request.decidedAt && (
          <>
            {" "}
            · {request.status} by <strong>{request.decidedBy}</strong> on {when(request.decidedAt)}
          </>
        )}
      </p>
      {request.reason && <p>Reason: {request.reason}</p>}
      {request.status === "conflicted" && (
        <p className="field-error">
          The flag changed after this was requested, so nothing was applied. File the change again.
        </p>
      )}
      {overtaken(request, live) && (
        <p className="field-error">
          The flag changed since this was requested (version {request.baseVersion} → {live?.version}):
          approving will not apply it.
        </p>
      )}
      {schedule ? (
        <ScheduledSteps steps={schedule} />
      ) : (
        <DiffTable
          changes={requestChanges(request, live)}
          caption={pending ? "What it changes (live now → requested)" : "What it asked for"}
        />
      )}
      <Comments request={request} />
      <Decision request={request} />
    </article>
  );
}

/** A schedule request: nothing changes on approval itself; each step applies at its time. */
function ScheduledSteps({ steps }: { steps: Step[] }) {
  return (
    <table className="data-table">
      <caption>Scheduled steps (each applies at its time once approved)</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">At</th>
          <th scope="col">What</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((step, i) => (
          <tr key={`${step.at}-${describeStep(step)}`}>
            <td>{i + 1}</td>
            <td>
              <time dateTime={step.at}>{when(step.at)}</time>
            </td>
            <td>{describeStep(step)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Comments({ request }: { request: ChangeRequest }) {
  if (request.comments.length === 0) return <p className="muted small">No comments yet.</p>;
  return (
    <ol className="comments" aria-label={`Comments on #${request.id}`}>
      {request.comments.map((c) => (
        <li key={`${c.at}-${c.by}`}>
          <strong>{c.by}</strong> <span className="muted small">{when(c.at)}</span>
          <p>{c.text}</p>
        </li>
      ))}
    </ol>
  );
}

function Decision({ request }: { request: ChangeRequest }) {
  const { decide, comment } = useChangeRequestActions();
  const canDecide = useCan("editor");
  const me = useMe().data;
  const [text, setText] = useState("");
  const pending = request.status === "pending";
  const own = me?.name === request.requestedBy;
  const send = (verdict: Verdict, override?: string) =>
    decide.mutate({ request, verdict, comment: text, override }, { onSuccess: () => setText("") });
  const error = decide.error ?? comment.error;
  return (
    <div className="decision">
      <Field label={`Comment on #${request.id}`}>
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      {isFrozen(error) ? (
        <FrozenNotice
          error={error}
          pending={decide.isPending}
          onOverride={(reason) => decide.variables && send(decide.variables.verdict, reason)}
        />
      ) : (
        <ErrorBanner error={error} />
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          disabled={!text.trim() || comment.isPending}
          onClick={() => comment.mutate({ request, text }, { onSuccess: () => setText("") })}
        >
          Add comment
        </button>
        {pending && canDecide && (
          <button type="button" className="button" disabled={decide.isPending} onClick={() => send("reject")}>
            Reject #{request.id}
          </button>
        )}
        {pending && canDecide && !own && (
          <button
            type="button"
            className="button button-primary"
            disabled={decide.isPending}
            onClick={() => send("approve")}
          >
            Approve #{request.id}
          </button>
        )}
      </div>
      {pending && canDecide && own && (
        <p className="muted small">You requested this; another editor or admin must approve it.</p>
      )}
      {pending && !canDecide && (
        <p className="muted small">Viewers can comment; an editor or admin decides.</p>
      )}
    </div>
  );
}
