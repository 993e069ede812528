/**
 * @module One cell of the admin UI's overview: a flag in one environment, read from the in-memory
 * ruleset — on/off, what it serves in a few words, a fingerprint of its setup (equal fingerprints in two
 * environments serve exactly the same, as promotions see it) and the segments it refers to.
 */
import type { Flag } from "@switchyard/core";
import type { StateFields } from "../flags/validate-state.js";
import { fingerprint, segmentReferences } from "../promotion/setup.js";
import { type ServingTone, summarizeServing } from "./serving.js";

export interface OverviewCell {
  on: boolean;
  tone: ServingTone;
  text: string;
  detail: string;
  /** Fingerprint of the setup (on, targets, rules, fallthrough, off variation, prerequisites, shadow). */
  setup: string;
  /** Segment keys the setup refers to; left out when there are none. */
  segments?: string[];
}

/** The ruleset leaves empty lists out; a state write has them all. */
function stateFieldsOf(flag: Flag): StateFields {
  return {
    on: flag.on,
    offVariation: flag.offVariation,
    targets: flag.targets ?? [],
    rules: flag.rules ?? [],
    fallthrough: flag.fallthrough,
    prerequisites: flag.prerequisites ?? [],
    shadow: flag.shadow ?? null,
  };
}

// A new ruleset version reuses the objects of the flags it did not change, so only changed flags
// are summarised and fingerprinted again.
const cells = new WeakMap<Flag, OverviewCell>();

export function cellOf(flag: Flag): OverviewCell {
  const known = cells.get(flag);
  if (known) return known;
  const state = stateFieldsOf(flag);
  const summary = summarizeServing(flag, state);
  const segments = [...new Set(segmentReferences(state).map((r) => r.key))];
  const cell: OverviewCell = {
    on: flag.on,
    tone: summary.tone,
    text: summary.text,
    detail: summary.detail,
    setup: fingerprint(state),
    ...(segments.length > 0 ? { segments } : {}),
  };
  cells.set(flag, cell);
  return cell;
}
