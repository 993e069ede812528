/**
 * @module A secret shown exactly once (a new API key, a user's setup link) with a copy button and a plain
 * warning that it cannot be shown again.
 */
import { useState } from "react";

export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="secret-once" role="status">
      <p>
        <strong>{label}</strong> — copy it now: it is stored hashed and will not be shown again.
      </p>
      <div className="secret-row">
        <output aria-label={label}>
          <code>{value}</code>
        </output>
        <button type="button" className="button" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
