/** @module A promotion's gate record: what passed or failed which gate, when, by whom, with what comment. */
import type { GateEvent } from "./api.js";
import { describeDetails } from "./gate.js";

export function GateRecord({ events }: { events: GateEvent[] }) {
  if (events.length === 0) return <p className="muted small">No gate decided yet.</p>;
  return (
    <table className="data-table gate-record">
      <caption>Gate record</caption>
      <thead>
        <tr>
          <th scope="col">Gate</th>
          <th scope="col">Outcome</th>
          <th scope="col">By</th>
          <th scope="col">When</th>
          <th scope="col">Comment</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={`${e.at}-${e.gate}-${e.outcome}`}>
            <td>{e.gate}</td>
            <td>{e.outcome}</td>
            <td>{e.by}</td>
            <td>
              <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
            </td>
            <td>
              {e.comment}
              {describeDetails(e.details) && (
                <span className="muted small"> {describeDetails(e.details)}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
