/**
 * @module Shown where a save in an environment that requires approval was filed as a change request
 * (202) instead of applied: nothing changed yet, and where to follow the request.
 */
import { Link } from "wouter";
import { paths } from "../app/paths.js";
import type { ChangeRequest } from "./api.js";
import "./notice.css";

export function ChangeRequestNotice({
  request,
  onDismiss,
  what = "change to",
}: {
  request: ChangeRequest;
  onDismiss: () => void;
  /** What was filed, before the flag's key: "change to" (default), "schedule for". */
  what?: string;
}) {
  return (
    <div className="banner banner-request" role="status">
      <p>
        <strong>Not applied yet.</strong> {request.environment} requires approval, so your {what}{" "}
        <code>{request.flag}</code> was filed as change request #{request.id}. It applies when another editor
        or admin approves it; until then this page shows what is live.
      </p>
      <p>
        <Link href={paths.changeRequests(request.environment)}>See change request #{request.id}</Link>{" "}
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
    </div>
  );
}
