/**
 * @module Replacing a segment's included or excluded keys: pasted (parsed as the text arrives, in chunks
 * that yield to the browser; a newer paste cancels the parse still running) or a CSV uploaded, then a
 * summary and one button that uploads them with the segment's version.
 */
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api } from "../api/client.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { type ParsedKeys, parseKeys } from "./keys.js";

export interface KeyUploadProps {
  /** `…/segments/{segment}/included` or `/excluded`. */
  path: string;
  version: number;
  label: string;
  hint?: string;
  onDone: () => void;
}

export function KeyUpload({ path, version, label, hint, onDone }: KeyUploadProps) {
  const [text, setText] = useState("");
  const [parsed, setParsed] = useState<ParsedKeys | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);
  const upload = useMutation({
    mutationFn: (keys: string[]) =>
      api(path, { method: "PUT", body: keys.join("\n"), headers: { "content-type": "text/plain" }, version }),
    onSuccess: () => {
      setParsed(null);
      setText("");
      onDone();
    },
  });
  const read = async (input: string, csv: boolean) => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setParsed(null);
    if (!input.trim()) return setProgress(null);
    setProgress("Reading…");
    try {
      const result = await parseKeys(input, {
        csv,
        signal: controller.signal,
        onProgress: (done, total) => setProgress(`Reading… ${Math.round((done / total) * 100)}%`),
      });
      setProgress(null);
      setParsed(result);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  };
  const lower = label.toLowerCase();
  return (
    <fieldset className="key-upload">
      <legend>{label}</legend>
      {hint && <p className="muted small">{hint}</p>}
      <label className="field">
        <span>Paste keys (one per line)</span>
        <textarea
          rows={4}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            void read(e.target.value, false);
          }}
          placeholder={"user-alice\nuser-bob"}
        />
      </label>
      <label className="field">
        <span>…or upload a CSV (first column)</span>
        <input
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) void read(await file.text(), true);
          }}
        />
      </label>
      {progress && <p role="status">{progress}</p>}
      {parsed && (
        <div role="status" className="parsed-keys">
          <strong>{parsed.keys.length.toLocaleString()} keys</strong>
          {parsed.duplicates > 0 && `, ${parsed.duplicates.toLocaleString()} duplicates dropped`}
          {parsed.keys.length > 0 && (
            <span className="muted">
              {" "}
              — {parsed.keys.slice(0, 5).join(", ")}
              {parsed.keys.length > 5 ? "…" : ""}
            </span>
          )}
          {parsed.invalid.slice(0, 5).map((i) => (
            <p key={`${i.line}-${i.reason}`} className="field-error">
              {i.line ? `line ${i.line}: ` : ""}
              {i.reason}
            </p>
          ))}
          <button
            type="button"
            className="button button-primary"
            disabled={parsed.invalid.length > 0 || upload.isPending}
            onClick={() => upload.mutate(parsed.keys)}
          >
            Replace {lower} with these {parsed.keys.length.toLocaleString()}
          </button>
        </div>
      )}
      <ErrorBanner error={upload.error} />
    </fieldset>
  );
}
