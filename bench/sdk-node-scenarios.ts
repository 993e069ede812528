/**
 * @module The core benchmark's scenarios (bench/fixtures/rulesets.ts) for the SDK comparison, with the
 * same flags written for the peers — Unleash client features and GrowthBook features — so each SDK
 * evaluates the same decision from local data:
 * - `simple`: a boolean flag on for everyone;
 * - `checkout`: rules in order — email ends with `@beta.example` → on; member of the 10,000-key `pilots`
 *   segment → on; app version below 2.0.0 → off — then a 20% rollout on the user key.
 * Each SDK gets 1,000 filler flags beside them, and the same rotating 1,024 contexts per case.
 */
import { benchRuleset, PILOTS, pilotContexts, rolloutContexts } from "./fixtures/rulesets.js";

export const FILLER_FLAGS = 1_000;
export { pilotContexts, rolloutContexts };

export function switchyardRuleset(fillerFlags = FILLER_FLAGS) {
  return benchRuleset(fillerFlags);
}

interface BaseContext {
  targetingKey: string;
  appVersion: string;
  email?: string;
  country?: string;
}

const fullRollout = { rollout: "100", stickiness: "default", groupId: "checkout" };

/** Unleash client API features (what `GET /api/client/features` serves), for `bootstrap.data`. */
export function unleashFeatures() {
  const fillers = Array.from({ length: FILLER_FLAGS }, (_, i) => ({
    name: `filler-${i}`,
    enabled: i % 2 === 0,
    strategies: [{ name: "default", constraints: [], parameters: {} }],
  }));
  return [
    ...fillers,
    { name: "simple", enabled: true, strategies: [{ name: "default", constraints: [], parameters: {} }] },
    {
      name: "checkout",
      enabled: true,
      // Unleash strategies only switch on, so "old app → off" becomes "not an old app" on the rollout.
      strategies: [
        {
          name: "flexibleRollout",
          constraints: [{ contextName: "email", operator: "STR_ENDS_WITH", values: ["@beta.example"] }],
          parameters: fullRollout,
        },
        {
          // A userId IN constraint: faster in Unleash than the `userWithId` strategy, which re-splits its list per call.
          name: "flexibleRollout",
          constraints: [{ contextName: "userId", operator: "IN", values: PILOTS }],
          parameters: fullRollout,
        },
        {
          name: "flexibleRollout",
          constraints: [
            { contextName: "appVersion", operator: "SEMVER_LT", values: [], value: "2.0.0", inverted: true },
          ],
          parameters: { rollout: "20", stickiness: "userId", groupId: "checkout" },
        },
      ],
    },
  ];
}

export function unleashContext(c: BaseContext) {
  const properties: Record<string, string> = { appVersion: c.appVersion };
  if (c.email) properties.email = c.email;
  if (c.country) properties.country = c.country;
  return { userId: c.targetingKey, properties };
}

/** GrowthBook features (the SDK payload's `features`), evaluated by the multi-user `GrowthBookClient`. */
export function growthbookFeatures() {
  const features: Record<string, unknown> = {};
  for (let i = 0; i < FILLER_FLAGS; i++) features[`filler-${i}`] = { defaultValue: i % 2 === 0 };
  features.simple = { defaultValue: true };
  features.checkout = {
    defaultValue: false,
    rules: [
      { condition: { email: { $regex: "@beta\\.example$" } }, force: true },
      { condition: { id: { $in: PILOTS } }, force: true },
      { condition: { appVersion: { $vlt: "2.0.0" } }, force: false },
      { force: true, coverage: 0.2, hashAttribute: "id" },
    ],
  };
  return features;
}

export function growthbookContext(c: BaseContext) {
  return { attributes: { id: c.targetingKey, appVersion: c.appVersion, email: c.email, country: c.country } };
}
