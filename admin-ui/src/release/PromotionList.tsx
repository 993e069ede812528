/** @module Promotions, newest first: what, where, through which gate, their status; each opens for review. */
import { ErrorBanner } from "../components/ErrorBanner.js";
import { type Promotion, usePromotions } from "./api.js";
import { describeGate } from "./gate.js";

const whatOf = (p: Promotion) =>
  p.selector && "tag" in p.selector ? `${p.selector.tag} (${p.flags.join(", ")})` : p.flags.join(", ");

export function PromotionList({ onReview }: { onReview: (id: number) => void }) {
  const promotions = usePromotions();
  if (promotions.error) return <ErrorBanner error={promotions.error} />;
  if (!promotions.data?.length) return null;
  return (
    <table className="data-table">
      <caption>Promotions</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">What</th>
          <th scope="col">Gate</th>
          <th scope="col">Status</th>
          <th scope="col">Requested by</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {promotions.data.map((p) => (
          <tr key={p.id}>
            <td>{p.id}</td>
            <td>
              {whatOf(p)}: {p.from} → {p.to.join(", ")}
            </td>
            <td>{describeGate(p.gate)}</td>
            <td>
              {p.status}
              {p.status === "pending" &&
                (p.gate?.type !== "soak"
                  ? " (waiting for approval)"
                  : p.gate.approval
                    ? " (soaking, and waiting for approval)"
                    : " (soaking)")}
            </td>
            <td>{p.requestedBy}</td>
            <td>
              <button type="button" className="button" onClick={() => onReview(p.id)}>
                Review #{p.id}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
