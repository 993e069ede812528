/** @module One flag in the overview: its key, name, tags and owner, then a status cell per environment. */
import { memo } from "react";
import { Link } from "wouter";
import type { Environment, FlagState, FlagSummary } from "../api/types.js";
import { summarizeServing } from "./serving.js";

/** Fixed row height in pixels: the virtual list positions rows without measuring them. */
export const ROW_HEIGHT = 56;

export interface OverviewRowProps {
  id: string;
  index: number;
  top: number;
  flag: FlagSummary;
  environments: Environment[];
  states: Map<string, Map<string, FlagState> | undefined>;
  active: boolean;
  canKill: boolean;
  href: string;
  onSelect: (flag: string) => void;
  onKill: (flag: string, env: Environment) => void;
}

export const OverviewRow = memo(function OverviewRow(props: OverviewRowProps) {
  const { flag, environments, states, active } = props;
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
      {environments.map((env) => (
        <StatusCell
          key={env.key}
          flag={flag}
          env={env}
          state={states.get(env.key)?.get(flag.key)}
          active={active}
          canKill={props.canKill}
          onKill={() => props.onKill(flag.key, env)}
        />
      ))}
    </tr>
  );
});

function StatusCell({
  flag,
  env,
  state,
  active,
  canKill,
  onKill,
}: {
  flag: FlagSummary;
  env: Environment;
  state: FlagState | undefined;
  active: boolean;
  canKill: boolean;
  onKill: () => void;
}) {
  const brief = flag.states[env.key];
  // Until the full states arrive, the flag list's on/off is enough to draw the cell without a jump.
  const summary = state
    ? summarizeServing(flag, state)
    : brief
      ? {
          tone: brief.on ? "partial" : "off",
          text: brief.on ? "on" : "off",
          detail: brief.on ? "On." : "Off.",
        }
      : { tone: "missing", text: "—", detail: "No state in this environment." };
  const on = state ? state.on : brief?.on === true;
  return (
    <td className="flag-grid-cell status-cell" title={`${env.name}: ${summary.detail}`}>
      <span className={`status status-${summary.tone}`}>
        <span className="status-dot" aria-hidden />
        <span className="visually-hidden">{env.name}: </span>
        <span className="status-text">{summary.text}</span>
      </span>
      {canKill && on && (
        <button
          type="button"
          className="kill-button"
          // Reachable with Tab from the list, for the highlighted row only.
          tabIndex={active ? 0 : -1}
          aria-label={`Kill ${flag.key} in ${env.name}`}
          onClick={onKill}
        >
          Kill
        </button>
      )}
    </td>
  );
}
