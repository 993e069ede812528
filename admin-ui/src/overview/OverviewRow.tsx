/**
 * @module One flag in the overview: its key, name, tags and owner, then a cell per environment with what it
 * serves there and where it stands in the pipeline (same setup as the environment before, or differs, with
 * a link to promote it).
 */
import { memo } from "react";
import { Link } from "wouter";
import type { OverviewCell, OverviewFlag } from "../api/overview.js";
import type { Environment } from "../api/types.js";
import { paths } from "../app/paths.js";

/** Fixed row height in pixels: the virtual list positions rows without measuring them. */
export const ROW_HEIGHT = 56;

export interface OverviewRowProps {
  id: string;
  index: number;
  top: number;
  flag: OverviewFlag;
  environments: Environment[];
  active: boolean;
  canKill: boolean;
  href: string;
  onSelect: (flag: string) => void;
  onKill: (flag: string, env: Environment) => void;
}

export const OverviewRow = memo(function OverviewRow(props: OverviewRowProps) {
  const { flag, environments, active } = props;
  return (
    <tr
      id={props.id}
      aria-rowindex={props.index + 2}
      aria-selected={active}
      className={`flag-row${active ? " active" : ""}`}
      style={{ transform: `translateY(${props.top}px)`, height: ROW_HEIGHT }}
      onMouseDown={() => props.onSelect(flag.key)}
    >
      <th scope="row" className="flag-grid-cell flag-cell">
        <div className="flag-title">
          <Link href={props.href} className="flag-key" tabIndex={-1}>
            {flag.key}
          </Link>
          {flag.temporary && <span className="badge">temporary</span>}
        </div>
        <div className="flag-meta">
          {flag.name !== flag.key && <span className="flag-name">{flag.name}</span>}
          {flag.tags.map((tag) => (
            <span className="tag" key={tag}>
              {tag}
            </span>
          ))}
          {flag.owner && <span className="owner">@{flag.owner}</span>}
        </div>
      </th>
      {environments.map((env, i) => {
        const before = environments[i - 1];
        return (
          <StatusCell
            key={env.key}
            flag={flag.key}
            env={env}
            cell={flag.cells[env.key]}
            previous={before ? { env: before, cell: flag.cells[before.key] } : null}
            active={active}
            canKill={props.canKill}
            onKill={() => props.onKill(flag.key, env)}
          />
        );
      })}
    </tr>
  );
});

const MISSING: OverviewCell = {
  on: false,
  tone: "missing",
  text: "—",
  detail: "No state in this environment.",
  setup: null,
};

interface StatusCellProps {
  flag: string;
  env: Environment;
  cell: OverviewCell | undefined;
  previous: { env: Environment; cell: OverviewCell | undefined } | null;
  active: boolean;
  canKill: boolean;
  onKill: () => void;
}

function StatusCell({ flag, env, cell = MISSING, previous, active, canKill, onKill }: StatusCellProps) {
  return (
    <td
      className="flag-grid-cell status-cell"
      title={`${env.name}: ${cell.detail}`}
      data-summary={cell.pending ? "pending" : "full"}
    >
      <div className="status-line">
        <span className={`status status-${cell.tone}`}>
          <span className="status-dot" aria-hidden />
          <span className="visually-hidden">{env.name}: </span>
          <span className="status-text">{cell.text}</span>
        </span>
        {canKill && cell.on && (
          <button
            type="button"
            className="kill-button"
            // Reachable with Tab from the list, for the highlighted row only.
            tabIndex={active ? 0 : -1}
            aria-label={`Kill ${flag} in ${env.name}`}
            onClick={onKill}
          >
            Kill
          </button>
        )}
      </div>
      {previous && (
        <PipelineStep
          flag={flag}
          env={env}
          cell={cell}
          previous={previous}
          active={active}
          canPromote={canKill}
        />
      )}
    </td>
  );
}

/** Where this environment stands against the one before it in release order. */
function PipelineStep({
  flag,
  env,
  cell,
  previous,
  active,
  canPromote,
}: {
  flag: string;
  env: Environment;
  cell: OverviewCell;
  previous: { env: Environment; cell: OverviewCell | undefined };
  active: boolean;
  canPromote: boolean;
}) {
  const theirs = previous.cell?.setup;
  if (!theirs || !cell.setup) return null;
  if (theirs === cell.setup)
    return (
      <span className="pipeline pipeline-same" title={`Same setup as ${previous.env.name}`}>
        <span aria-hidden>=</span>
        <span className="visually-hidden">same setup as</span> {previous.env.name}
      </span>
    );
  return (
    <span className="pipeline pipeline-differs">
      <span title={`Differs from ${previous.env.name}: not promoted here`}>
        <span aria-hidden>≠</span>
        <span className="visually-hidden">differs from</span> {previous.env.name}
      </span>
      {canPromote && (
        <Link
          href={paths.promote(flag, previous.env.key, env.key)}
          className="promote-link"
          tabIndex={active ? 0 : -1}
          aria-label={`Promote ${flag} from ${previous.env.name} to ${env.name}`}
        >
          Promote
        </Link>
      )}
    </span>
  );
}
