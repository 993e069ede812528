/**
 * @module A labelled form field that shows the API's message for it (from a problem's `errors`) right
 * under the input, wired with `aria-invalid` and `aria-describedby`.
 */
import { cloneElement, type ReactElement, type ReactNode, useId } from "react";

export interface FieldProps {
  label: ReactNode;
  /** The error to show under the field, e.g. `error?.fieldError("password")`. */
  error?: string | undefined;
  hint?: ReactNode;
  /** One input, select or textarea; it receives `id`, `aria-invalid` and `aria-describedby`. */
  children: ReactElement<Record<string, unknown>>;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
