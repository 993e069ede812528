/** @module A failed request's message (the problem's title and detail), announced to screen readers. */
import { ApiError, errorMessage } from "../api/client.js";

export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const heading = title ?? (error instanceof ApiError ? error.title : "Something went wrong");
  return (
    <div className="banner banner-error" role="alert">
      <strong>{heading}</strong> <span>{errorMessage(error)}</span>
    </div>
  );
}
