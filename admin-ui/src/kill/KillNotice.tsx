/** @module Shown right after a kill: what was killed where, and its delivery to the SDKs, live. */
import type { Environment } from "../api/types.js";
import { KillDelivery } from "./KillDelivery.js";

export interface KillNoticeProps {
  flag: string;
  env: Environment;
  /** The environment's ruleset version the kill produced. */
  version?: number;
  onDismiss: () => void;
}

export function KillNotice({ flag, env, version, onDismiss }: KillNoticeProps) {
  return (
    <section className="banner banner-kill" aria-label={`Kill of ${flag} in ${env.name}`}>
      <div className="banner-row">
        <strong>
          Killed <code>{flag}</code> in {env.name}.
        </strong>
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <KillDelivery env={env.key} version={version} />
    </section>
  );
}
