/**
 * @module The strangler path of a flag in one environment — shadow → pilot cohort → percentage → done —
 * read from its state and moved one step by rewriting that state. Pure: the routes save the result through
 * the ordinary state write (validation, versions, audit, delivery).
 *
 * The step is not stored: it is what the state serves. A rule with the id {@link PILOT_RULE_ID} serving the
 * candidate to a segment is the pilot; a fallthrough rollout splits everyone else; a fallthrough of the
 * candidate is done.
 */
import type { Rule, Serve, ShadowRule, Variation } from "@switchyard/core";
import type { StateFields } from "../flags/validate-state.js";

export const STEPS = ["off", "shadow", "pilot", "rollout", "done"] as const;
export type Step = (typeof STEPS)[number];

/** Rule id the pilot step owns; other rules are left alone. */
export const PILOT_RULE_ID = "dark-launch-pilot";
const BUCKETS = 100_000;
const DEFAULT_SAMPLE = 5_000; // 5% of calls
const DEFAULT_TIMEOUT_MS = 1_000;

export interface PathRoles {
  candidate: string;
  control: string;
}

export interface StepView extends PathRoles {
  step: Step;
  next: Step | null;
  /** Share of users served the candidate by the fallthrough, in percent (rollout and done). */
  percentage: number;
  pilotSegment: string | null;
  shadowSampleRate: number;
}

export interface AdvanceInput {
  to?: Step;
  /** Pilot step: the segment of pilot users. */
  segment?: string;
  /** Rollout step: percent of everyone else served the candidate (default 10). */
  percentage?: number;
  /** Shadow step: percent of calls shadowed (default 5). */
  sampleRate?: number;
  candidate?: string;
  control?: string;
}

export class StepError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Which variation is the new code and which the old: given, from the shadow rule, or the boolean pair. */
export function rolesOf(state: StateFields, variations: Variation[], input: AdvanceInput = {}): PathRoles {
  const keys = variations.map((v) => v.key);
  const candidate =
    input.candidate ??
    state.shadow?.candidateVariation ??
    variations.find((v) => v.value === true)?.key ??
    keys[keys.length - 1];
  if (!candidate || !keys.includes(candidate))
    throw new StepError(`Unknown candidate variation "${candidate}".`, "candidate");
  const served = "variation" in state.fallthrough ? state.fallthrough.variation : undefined;
  const control =
    input.control ??
    (served && served !== candidate ? served : undefined) ??
    (state.offVariation !== candidate ? state.offVariation : undefined) ??
    keys.find((k) => k !== candidate);
  if (!control || !keys.includes(control) || control === candidate)
    throw new StepError("The control variation must be another variation of the flag.", "control");
  return { candidate, control };
}

const candidateShare = (serve: Serve, candidate: string): number =>
  "variation" in serve
    ? serve.variation === candidate
      ? BUCKETS
      : 0
    : serve.rollout.weights.filter((w) => w.variation === candidate).reduce((a, w) => a + w.weight, 0);

export function currentStep(state: StateFields, variations: Variation[]): StepView {
  const roles = rolesOf(state, variations);
  const share = candidateShare(state.fallthrough, roles.candidate);
  const pilot = state.rules.find((r) => r.id === PILOT_RULE_ID);
  const pilotSegment = (pilot?.clauses[0]?.values[0] as string | undefined) ?? null;
  // A pilot rule serving the old code (a guard stopped the ramp) is no pilot step: the step is what is served.
  const piloting = pilot !== undefined && candidateShare(pilot.serve, roles.candidate) > 0;
  const step: Step = !state.on
    ? "off"
    : share >= BUCKETS
      ? "done"
      : share > 0
        ? "rollout"
        : piloting
          ? "pilot"
          : state.shadow && state.shadow.sampleRate > 0
            ? "shadow"
            : "off";
  const next = step === "done" ? null : (STEPS[STEPS.indexOf(step) + 1] as Step);
  return {
    ...roles,
    step,
    next,
    percentage: (share / BUCKETS) * 100,
    pilotSegment,
    shadowSampleRate: ((state.shadow?.sampleRate ?? 0) / BUCKETS) * 100,
  };
}

/** The step, or null when the flag's variations give it no candidate and control (never throws). */
export function stepOf(state: StateFields, variations: Variation[]): Step | null {
  try {
    return currentStep(state, variations).step;
  } catch {
    return null;
  }
}

const percent = (value: number | undefined, fallback: number, field: string): number => {
  const p = value ?? fallback;
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new StepError("Must be a percentage 0–100.", field);
  return Math.round(p * 1000);
};

/** The state after moving to `to` (default: the next step). Earlier steps' settings stay unless replaced. */
export function advance(state: StateFields, variations: Variation[], input: AdvanceInput): StateFields {
  const now = currentStep(state, variations);
  const to = input.to ?? now.next;
  if (!to || to === "off") throw new StepError("The flag is done; there is no next step.", "to");
  const { candidate, control } = rolesOf(state, variations, input);
  const otherRules = state.rules.filter((r) => r.id !== PILOT_RULE_ID);
  const shadow = (): ShadowRule => ({
    stickiness: "user",
    timeoutMs: DEFAULT_TIMEOUT_MS,
    ...state.shadow,
    sampleRate:
      input.sampleRate !== undefined || !state.shadow
        ? percent(input.sampleRate, DEFAULT_SAMPLE / 1000, "sampleRate")
        : state.shadow.sampleRate,
    candidateVariation: candidate,
  });
  const pilotRule = (): Rule[] => {
    const segment = input.segment ?? now.pilotSegment ?? undefined;
    if (!segment) throw new StepError("The pilot step needs the segment of pilot users.", "segment");
    return [
      {
        id: PILOT_RULE_ID,
        description: "Dark launch: pilot users get the new code",
        clauses: [{ attribute: "segment", op: "segmentMatch", values: [segment] }],
        serve: { variation: candidate },
      },
    ];
  };
  const base = { ...state, on: true };
  switch (to) {
    case "shadow":
      return { ...base, rules: otherRules, fallthrough: { variation: control }, shadow: shadow() };
    case "pilot":
      return {
        ...base,
        rules: [...pilotRule(), ...otherRules],
        fallthrough: { variation: control },
        shadow: shadow(),
      };
    case "rollout": {
      const weight = percent(input.percentage, 10, "percentage");
      if (weight <= 0 || weight >= BUCKETS)
        throw new StepError("A rollout is more than 0% and less than 100%.", "percentage");
      return {
        ...base,
        rules: now.pilotSegment || input.segment ? [...pilotRule(), ...otherRules] : otherRules,
        fallthrough: {
          rollout: {
            weights: [
              { variation: candidate, weight },
              { variation: control, weight: BUCKETS - weight },
            ],
          },
        },
        shadow: shadow(),
      };
    }
    case "done":
      // Everyone runs the new code and comparing has served its purpose: sampling stops, but the rule keeps
      // naming the candidate variation, which is how SDKs know that serving it means "run the new code".
      return {
        ...base,
        rules: otherRules,
        fallthrough: { variation: candidate },
        shadow: { ...shadow(), sampleRate: 0 },
      };
  }
}
