import { describe, expect, it } from "vitest";
import type { PromotionDetail } from "./api.js";
import { gateChecklist } from "./gate-status.js";

const now = new Date("2026-05-01T12:00:00Z");
const soaking = (over: Partial<PromotionDetail> = {}): PromotionDetail => ({
  id: 3,
  from: "staging",
  to: ["production"],
  flags: ["a"],
  status: "pending",
  gate: { type: "soak", minutes: 60 },
  requestedBy: "ana",
  requestedAt: "2026-05-01T10:00:00Z",
  appliedBy: null,
  previewHash: "h",
  preview: { blocked: false, hash: "h", problems: [], targets: [], sourceVersions: { a: 2 } },
  gateRecord: [],
  ...over,
});

describe("gateChecklist", () => {
  it("passes the soak time once the flag has been live for it, with the default mismatch limit", () => {
    const items = gateChecklist(
      soaking(),
      [
        {
          flag: "a",
          version: 2,
          updatedAt: "2026-05-01T10:30:00Z",
          guardsTripped: false,
          mismatchRate: 0.02,
        },
      ],
      now,
    );
    expect(items.map((i) => [i.key, i.state])).toEqual([
      ["a-soak", "passed"],
      ["a-guards", "passed"],
      ["a-shadow", "waiting"],
    ]);
    expect(items[2]?.text).toContain("2% (over the limit of 1%)");
  });

  it("says the promotion will fail when the source changed since the request", () => {
    const [item] = gateChecklist(
      soaking(),
      [{ flag: "a", version: 3, updatedAt: "2026-05-01T11:00:00Z" }],
      now,
    );
    expect(item).toMatchObject({ state: "failing" });
    expect(item?.text).toContain("version 2 → 3");
  });

  it("names when a gate passed from the gate record", () => {
    const items = gateChecklist(
      soaking({
        gate: { type: "soak", minutes: 60, approval: true },
        gateRecord: [
          {
            gate: "approval",
            outcome: "passed",
            by: "bo",
            at: "2026-05-01T11:00:00Z",
            comment: null,
            details: null,
          },
          {
            gate: "soak",
            outcome: "passed",
            by: "gate",
            at: "2026-05-01T11:30:00Z",
            comment: null,
            details: null,
          },
        ],
      }),
      [],
      now,
    );
    expect(items.map((i) => [i.key, i.state])).toEqual([
      ["approval", "passed"],
      ["soak", "passed"],
    ]);
    expect(items[0]?.text).toContain("Approved by bo");
  });
});
