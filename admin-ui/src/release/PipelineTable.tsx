/**
 * @module Each flag's journey across environments in release order, like a pipeline: which environments
 * serve the same setup as the one before, which lag, what would block a promotion, and a promote button.
 */
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { type PipelineCell, type Selection, usePipeline } from "./api.js";

export function PipelineTable({ tag, onPromote }: { tag: string; onPromote: (s: Selection) => void }) {
  const pipeline = usePipeline(tag);
  if (!pipeline.data) return <ErrorBanner error={pipeline.error} />;
  return (
    <table className="data-table pipeline">
      <caption>Pipeline{tag ? ` of ${tag}` : ""}: where each flag's setup has reached</caption>
      <thead>
        <tr>
          <th scope="col">Flag</th>
          {pipeline.data.environments.map((e) => (
            <th scope="col" key={e.key}>
              {e.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {pipeline.data.flags.map((f) => (
          <tr key={f.flag}>
            <th scope="row">
              {f.flag} {f.inSync && <span className="badge">in sync</span>}
            </th>
            {f.environments.map((cell) => (
              <Cell key={cell.environment} flag={f.flag} cell={cell} onPromote={onPromote} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Cell({
  flag,
  cell,
  onPromote,
}: {
  flag: string;
  cell: PipelineCell;
  onPromote: (s: Selection) => void;
}) {
  const canEdit = useCan("editor");
  const promote = cell.promote;
  return (
    <td className={cell.sameAsPrevious === false ? "lagging" : ""}>
      {cell.on ? "on" : "off"}
      {cell.sameAsPrevious === true && <span className="muted small"> · same as before</span>}
      {cell.sameAsPrevious === false && <span className="muted small"> · differs</span>}
      {cell.pendingPromotion && <span className="badge"> promotion #{cell.pendingPromotion} pending</span>}
      {promote && promote.blockedBy.length > 0 && (
        <ul className="blocked" aria-label={`What blocks promoting ${flag} to ${promote.to}`}>
          {promote.blockedBy.map((why) => (
            <li key={why}>Blocked: {why}</li>
          ))}
        </ul>
      )}
      {promote && canEdit && !cell.pendingPromotion && (
        <button
          type="button"
          className="button button-quiet"
          aria-label={`Promote ${flag} from ${promote.from} to ${promote.to}`}
          onClick={() => onPromote({ from: promote.from, to: [promote.to], flags: [flag] })}
        >
          promote
        </button>
      )}
    </td>
  );
}
