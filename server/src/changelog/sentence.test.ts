import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DESCRIBED_ACTIONS, flagsOf, type SentenceEntry, sentence } from "./sentence.js";

const state = (changes: Record<string, unknown> = {}) => ({
  on: false,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
  version: 3,
  ...changes,
});
const ramp = (on: number) => ({
  rollout: {
    weights: [
      { variation: "on", weight: on },
      { variation: "off", weight: 100_000 - on },
    ],
  },
});
const entry = (e: Partial<SentenceEntry> & { action: string }): SentenceEntry => ({
  actor: { name: "Ana" },
  environment: "production",
  flag: null,
  targetType: "flag_state",
  targetKey: "new-checkout",
  reason: null,
  ...e,
});

/** Named like an action but not an audit entry: the webhook ping is queued without one. */
const NOT_AUDITED = new Set(["webhook.test"]);

/** Every `"domain.verb"` string in the server's sources whose domain is an audit domain. */
async function actionsInSources(): Promise<string[]> {
  const domains = new Set([...DESCRIBED_ACTIONS].map((a) => a.split(".")[0]));
  const root = join(import.meta.dirname, "..");
  const files = (await readdir(root, { recursive: true })).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  const found = new Set<string>();
  for (const file of files) {
    const source = await readFile(join(root, file), "utf8");
    for (const [, action, domain] of source.matchAll(/"(([a-z][a-z_-]*)\.[a-z][a-z_-]*)"/g)) {
      if (domain && domains.has(domain) && action && !NOT_AUDITED.has(action)) found.add(action);
    }
  }
  return [...found].sort();
}

describe("sentences", () => {
  it("has a phrase of its own for every audit action in the server", async () => {
    const actions = await actionsInSources();
    expect(actions.length).toBeGreaterThan(40);
    expect(actions.filter((a) => !DESCRIBED_ACTIONS.has(a))).toEqual([]);
    for (const action of actions) {
      expect(sentence(entry({ action, flag: "x" })), action).not.toContain(action);
    }
  });

  it("says what a state change did: turned on, rolled out, or the changes themselves", () => {
    const change = (before: unknown, after: unknown) =>
      sentence(entry({ action: "flag_state.update", flag: "new-checkout", before, after }));
    expect(change(state(), state({ on: true }))).toBe("Ana turned on new-checkout in production");
    expect(change(state({ on: true }), state({ on: true, fallthrough: ramp(25_000) }))).toBe(
      "Ana rolled new-checkout out to 25% in production",
    );
    expect(change(state(), state({ on: true, fallthrough: ramp(5_000) }))).toBe(
      "Ana turned on new-checkout and rolled it out to 5% in production",
    );
    expect(
      sentence(
        entry({
          action: "flag_state.update",
          flag: "max-items",
          before: state({ on: true, offVariation: "small", fallthrough: { variation: "small" } }),
          after: state({ on: true, offVariation: "small", fallthrough: { variation: "medium" } }),
          reason: "bigger pages",
        }),
      ),
    ).toBe("Ana changed max-items in production: fallthrough: small → medium: bigger pages");
    expect(change(state(), state())).toBe("Ana saved new-checkout in production without changes");
    expect(
      change(
        state({ on: true, fallthrough: ramp(25_000) }),
        state({ on: true, fallthrough: { variation: "on" } }),
      ),
    ).toBe("Ana rolled new-checkout out to 100% in production");
  });

  it("names a scheduled step by its schedule", () => {
    const step = entry({
      action: "schedule.step",
      actor: { name: "schedule #4" },
      flag: "search-ranking",
      targetType: "schedule",
      targetKey: "4",
      before: state({ on: true, fallthrough: ramp(1_000) }),
      after: state({ on: true, fallthrough: ramp(5_000) }),
      reason: "Scheduled step 2 of 4: rollout 5%",
    });
    expect(sentence(step)).toBe(
      "schedule #4 rolled search-ranking out to 5% in production: Scheduled step 2 of 4: rollout 5%",
    );
  });

  it("says how many users a segment edit added or removed", () => {
    const segment = (included: number) => ({ key: "pilot-users", includedCount: included, excludedCount: 0 });
    const edit = (before: number, after: number) =>
      sentence(
        entry({
          action: "segment.update",
          targetType: "segment",
          targetKey: "pilot-users",
          before: segment(before),
          after: segment(after),
        }),
      );
    expect(edit(2, 5)).toBe("Ana added 3 users to segment pilot-users in production");
    expect(edit(5, 4)).toBe("Ana removed 1 user from segment pilot-users in production");
  });

  it("reads a promotion by its flags and environments, not its id alone", () => {
    const applied = entry({
      action: "promotion.apply",
      environment: null,
      targetType: "promotion",
      targetKey: "7",
      after: {
        promotion: 7,
        from: "staging",
        to: ["production"],
        flags: ["new-checkout"],
        environments: {
          production: { "new-checkout": { version: 4, changes: ["turned on", "fallthrough: off → on"] } },
        },
      },
    });
    expect(sentence(applied)).toBe(
      "Ana promoted new-checkout from staging to production (promotion #7): turned on; fallthrough: off → on",
    );
    expect(flagsOf(applied)).toEqual(["new-checkout"]);
    const requested = entry({
      action: "promotion.request",
      environment: null,
      targetType: "promotion",
      targetKey: "8",
      after: {
        from: "staging",
        to: ["production", "development"],
        flags: ["a", "b", "c", "d"],
        gate: { type: "soak", minutes: 60, approval: true },
      },
    });
    expect(sentence(requested)).toBe(
      "Ana asked to promote 4 flags (a, b, c and 1 more) from staging to production and development (promotion #8), after a 60-minute soak and an approval",
    );
  });

  it("says what a guard's trip did: turned the flag off, or stopped its ramp", () => {
    const trip = (on: boolean) =>
      sentence(
        entry({
          action: "guard.trip",
          actor: { name: "guard: mismatch rate > 1%" },
          flag: "new-checkout",
          after: { state: state({ on }), guard: { status: "tripped" } },
        }),
      );
    expect(trip(false)).toBe("guard: mismatch rate > 1% tripped, turning off new-checkout in production");
    expect(trip(true)).toBe(
      "guard: mismatch rate > 1% tripped, stopping the ramp of new-checkout in production",
    );
  });

  it("reads incidents, change requests, freezes and keys", () => {
    expect(
      sentence(
        entry({
          action: "incident.declare",
          targetType: "tag",
          targetKey: "checkout",
          after: {
            tag: "checkout",
            flags: { "new-checkout": { on: false }, "checkout-banner": { on: false } },
          },
          reason: "payments down",
        }),
      ),
    ).toBe(
      'Ana declared an incident on tag "checkout" in production, turning off new-checkout and checkout-banner: payments down',
    );
    expect(
      sentence(
        entry({
          action: "change-request.approve",
          actor: { name: "Bo" },
          flag: "banner-text",
          targetType: "change_request",
          targetKey: "3",
          after: { requestedBy: "Ana" },
        }),
      ),
    ).toBe("Bo approved Ana's change request #3 for banner-text in production");
    expect(
      sentence(
        entry({
          action: "freeze.start",
          targetType: "environment",
          targetKey: "production",
          after: { until: "2026-11-27T00:00:00.000Z" },
          reason: "Black Friday",
        }),
      ),
    ).toBe("Ana froze production until 2026-11-27 00:00 UTC: Black Friday");
    expect(
      sentence(
        entry({
          action: "key.create",
          environment: null,
          targetType: "api_key",
          targetKey: "web",
          after: { name: "web", kind: "client", environment: "production" },
        }),
      ),
    ).toBe('Ana created a client key "web" for production');
  });

  it("still reads as a sentence for an action it does not know", () => {
    expect(sentence(entry({ action: "experiment.start", targetType: "experiment", targetKey: "e1" }))).toBe(
      "Ana did experiment.start on experiment e1 in production",
    );
  });
});
