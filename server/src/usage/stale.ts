/**
 * @module Which temporary flags have outlived their purpose: unused (no SDK evaluated them for a while), or
 * fully rolled out (every environment serves one variation to everyone, unchanged for a while). Permanent
 * flags (kill switches, entitlements) are never stale. Pure: rows in, verdicts out.
 */
import type { Serve } from "@switchyard/core";

const DAY_MS = 86_400_000;

export interface StaleInputFlag {
  key: string;
  temporary: boolean;
  createdAt: Date;
  /** Per environment: the state, and when SDKs last evaluated the flag there (if ever). */
  environments: {
    environment: string;
    on: boolean;
    offVariation: string;
    hasTargets: boolean;
    hasRules: boolean;
    fallthrough: Serve;
    updatedAt: Date;
    lastEvaluated: Date | null;
  }[];
}

export interface StaleVerdict {
  stale: boolean;
  /** Why, in words for the badge's tooltip; null when not stale. */
  why: string | null;
  /** The one variation every environment serves, when it does. */
  servesEverywhere: string | null;
  lastEvaluated: string | null;
}

/** The variation this state serves to every context, if it serves one to all. */
function singleVariation(e: StaleInputFlag["environments"][number]): string | null {
  if (!e.on) return e.offVariation;
  if (e.hasTargets || e.hasRules) return null;
  if ("variation" in e.fallthrough) return e.fallthrough.variation;
  const weighted = e.fallthrough.rollout.weights.filter((w) => w.weight > 0);
  return weighted.length === 1 ? (weighted[0]?.variation ?? null) : null;
}

const days = (ms: number) => Math.floor(ms / DAY_MS);

export function staleVerdict(flag: StaleInputFlag, now: Date, afterDays: number): StaleVerdict {
  const limit = afterDays * DAY_MS;
  const evaluated = flag.environments
    .map((e) => e.lastEvaluated?.getTime())
    .filter((t): t is number => t !== undefined);
  const last = evaluated.length ? Math.max(...evaluated) : null;
  const served = flag.environments.map(singleVariation);
  const everywhere =
    served.length > 0 && served.every((v) => v !== null && v === served[0]) ? served[0] : null;
  const base = {
    servesEverywhere: everywhere ?? null,
    lastEvaluated: last === null ? null : new Date(last).toISOString(),
  };
  if (!flag.temporary) return { ...base, stale: false, why: null };

  const sinceUse = now.getTime() - (last ?? flag.createdAt.getTime());
  if (sinceUse > limit) {
    const why =
      last === null
        ? `never evaluated in the ${days(sinceUse)} days since it was created`
        : `not evaluated for ${days(sinceUse)} days`;
    return { ...base, stale: true, why };
  }
  const lastChange = Math.max(...flag.environments.map((e) => e.updatedAt.getTime()));
  if (everywhere && now.getTime() - lastChange > limit) {
    return {
      ...base,
      stale: true,
      why: `serves "${everywhere}" to everyone in every environment, unchanged for ${days(now.getTime() - lastChange)} days`,
    };
  }
  return { ...base, stale: false, why: null };
}
