/**
 * @module What a form's fields cannot show of a failed request: the problem itself when it names no
 * field, else each error about a field that is not on the form (so none is silently dropped).
 */
import { ApiError } from "../api/client.js";
import { ErrorBanner } from "./ErrorBanner.js";

export function FormErrors({
  error,
  fields,
  title,
}: {
  error: unknown;
  /** The fields the form shows errors for itself (with `error.fieldError(field)`). */
  fields: readonly string[];
  title?: string;
}) {
  if (!error) return null;
  if (!(error instanceof ApiError) || error.errors.length === 0)
    return <ErrorBanner error={error} title={title} />;
  const elsewhere = error.otherErrors(fields);
  if (elsewhere.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>{title ?? error.title}</strong>
      <ul>
        {elsewhere.map((e) => (
          <li key={`${e.path}-${e.message}`}>
            {e.path ? `${e.path}: ` : ""}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
