/** @module A field-by-field diff as a table: what changed, before and after (saves, conflicts). */
import { type Change, show } from "../history/diff.js";

export function DiffTable({ changes, caption }: { changes: Change[]; caption?: string }) {
  if (changes.length === 0) return <p className="muted">No changes.</p>;
  return (
    <table className="diff-table">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.path}-${c.kind}`} className={`diff-${c.kind}`}>
            <th scope="row">
              <code>{c.path || "(whole)"}</code>
            </th>
            <td>{show(c.before)}</td>
            <td>{show(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
