/**
 * @module The flag page's environment tabs (ARIA tabs pattern): one tab stop, ←/→ (and Home/End) move
 * between environments and select them, each tab names the panel it controls.
 */
import { type KeyboardEvent, useRef } from "react";
import type { Environment } from "../api/types.js";

export const envTabId = (env: string) => `env-tab-${env}`;
export const ENV_PANEL_ID = "env-panel";

export function EnvTabs({
  envs,
  selected,
  onSelect,
}: {
  envs: Environment[];
  selected: string | undefined;
  onSelect: (env: string) => void;
}) {
  const tabs = useRef(new Map<string, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent) => {
    const at = envs.findIndex((e) => e.key === selected);
    const to: Record<string, number> = {
      ArrowRight: (at + 1) % envs.length,
      ArrowLeft: (at - 1 + envs.length) % envs.length,
      Home: 0,
      End: envs.length - 1,
    };
    const next = envs[to[event.key] ?? -1];
    if (!next) return;
    event.preventDefault();
    onSelect(next.key);
    tabs.current.get(next.key)?.focus();
  };
  return (
    <div role="tablist" aria-label="Environments" className="env-tabs" onKeyDown={onKeyDown}>
      {envs.map((e) => (
        <button
          key={e.key}
          ref={(node) => {
            if (node) tabs.current.set(e.key, node);
            else tabs.current.delete(e.key);
          }}
          id={envTabId(e.key)}
          type="button"
          role="tab"
          aria-selected={e.key === selected}
          aria-controls={ENV_PANEL_ID}
          tabIndex={e.key === selected ? 0 : -1}
          className="env-tab"
          onClick={() => onSelect(e.key)}
        >
          <span className="env-dot" style={{ background: e.color ?? "#8a94a0" }} aria-hidden /> {e.name}
        </button>
      ))}
    </div>
  );
}
