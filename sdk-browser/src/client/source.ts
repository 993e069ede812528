/**
 * @module What a client mode plugs into the client: where decisions come from and how they stay fresh.
 */
import type { EvaluationContext, Ruleset } from "@switchyard/core";
import type { Sync } from "../sync/sync.js";
import type { DecisionMap } from "./decisions.js";
import type { ConnectionStatus, EvaluatedFlags } from "./types.js";

export interface SourceHost {
  base: string;
  clientKey: string;
  instanceId: string;
  streaming: boolean;
  pollIntervalMs: number;
  storage: Storage | null;
  maxCacheBytes: number;
  context(): EvaluationContext;
  /** New decisions for the current context (the client diffs and notifies). */
  show(decisions: DecisionMap): void;
  status(status: ConnectionStatus): void;
  ack(version: number): void;
}

export interface Source {
  sync: Sync;
  version(): number;
  /** First paint: from the bootstrap if given, else from storage. */
  boot(bootstrap: Ruleset | EvaluatedFlags | undefined): void;
  /** The context changed: re-evaluate (local) or refetch (server). */
  contextChanged(): Promise<void>;
}

/** A client mode: builds the source of decisions for a client. */
export type SourceFactory = (host: SourceHost) => Source;

export const isEvaluated = (data: unknown): data is EvaluatedFlags =>
  typeof data === "object" &&
  data !== null &&
  typeof (data as EvaluatedFlags).flags === "object" &&
  !Array.isArray((data as EvaluatedFlags).flags) &&
  !("formatVersion" in data);
