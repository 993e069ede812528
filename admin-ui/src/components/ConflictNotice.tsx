/**
 * @module Someone else changed what you were editing (a 409): says who and what they changed — before →
 * now — rather than a generic error, and lets you keep theirs or apply yours on top of it.
 */
import { diffValues } from "../history/diff.js";
import { DiffTable } from "./DiffTable.js";

export interface ConflictNoticeProps {
  /** What was changed, in words: "new-checkout in Production", "the rules of Pilot users". */
  what: string;
  /** Who changed it, if the server says. */
  who?: string | null;
  /** What the screen showed when you acted… */
  before: unknown;
  /** …and what the server holds now. */
  current: unknown;
  /** Applies your change again on top of theirs; left out when that makes no sense. */
  onRetry?: () => void;
  retryLabel?: string;
  onDismiss: () => void;
}

export function ConflictNotice({
  what,
  who,
  before,
  current,
  onRetry,
  retryLabel = "Apply mine anyway",
  onDismiss,
}: ConflictNoticeProps) {
  return (
    <section className="banner banner-conflict" role="alert" aria-label="Someone else changed this">
      <p>
        <strong>
          {who ?? "Someone"} changed {what}
        </strong>{" "}
        while you were looking, so your change was not applied. Their change:
      </p>
      <DiffTable changes={diffValues(before, current)} caption="Their change" />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onDismiss}>
          Keep theirs
        </button>
        {onRetry && (
          <button type="button" className="button button-danger" onClick={onRetry}>
            {retryLabel}
          </button>
        )}
      </div>
    </section>
  );
}
