/**
 * @module Live delivery of a change (a kill) to the SDKs: how many connected instances have applied it,
 * how fast, and which have not. Reusable on the flag page and the incident screen.
 */
import { errorMessage } from "../api/client.js";
import { deliverySummary, formatMs, useDelivery } from "./delivery.js";

export function KillDelivery({ env, version }: { env: string; version?: number }) {
  const delivery = useDelivery(env, version);
  if (delivery.isPending) return <p className="muted small">Checking delivery to SDKs…</p>;
  if (delivery.error) return <p className="muted small">Delivery unknown: {errorMessage(delivery.error)}</p>;
  const status = delivery.data;
  const { total, acknowledged, pending } = status.instances;
  const done = acknowledged >= total;
  return (
    <div className="delivery">
      {total > 0 && (
        <meter
          className="delivery-meter"
          min={0}
          max={total}
          value={acknowledged}
          aria-label={`Applied by ${acknowledged} of ${total} SDK instances`}
        />
      )}
      <p className="small">
        {deliverySummary(status)}
        {status.latencyMs && (
          <>
            {" "}
            Median {formatMs(status.latencyMs.median)}, p95 {formatMs(status.latencyMs.p95)}, slowest{" "}
            {formatMs(status.latencyMs.max)}.
          </>
        )}
        {!done && <span className="muted"> Watching…</span>}
      </p>
      {pending.length > 0 && (
        <details className="small">
          <summary>Not yet applied ({pending.length})</summary>
          <ul className="pending-list">
            {pending.map((p) => (
              <li key={p.instanceId}>
                <code>{p.instanceId}</code> {p.sdk ?? "unknown SDK"}, at version {p.version ?? "none"}, last
                seen {new Date(p.lastSeenAt).toLocaleTimeString()}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
