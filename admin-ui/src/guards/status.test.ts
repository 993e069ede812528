import { describe, expect, it } from "vitest";
import { describeTrip, guardStatus, ruleText } from "./status.js";

describe("guard status in words", () => {
  it("is green, watching from half-way to the threshold, or tripped", () => {
    expect(guardStatus({ status: "green", llr: 0, threshold: 10 })).toBe("green");
    expect(guardStatus({ status: "green", llr: 4.9, threshold: 10 })).toBe("green");
    expect(guardStatus({ status: "green", llr: 5, threshold: 10 })).toBe("watching");
    expect(guardStatus({ status: "tripped", llr: 0, threshold: 10 })).toBe("tripped");
  });

  it("words the rules as the server does", () => {
    expect(ruleText("mismatch_rate", 0.01)).toBe("mismatch rate > 1%");
    expect(ruleText("error_rate", 0.005)).toBe("candidate error rate > 0.5%");
    expect(ruleText("latency_p95_ratio", 1.5)).toBe("candidate p95 latency > 1.5× control");
  });

  it("says which figures tripped a rate guard and a latency guard", () => {
    expect(
      describeTrip({
        metric: "mismatch_rate",
        action: "kill",
        trip: { trials: 400, events: 12, observedRate: 0.03, step: "shadow" },
      }),
    ).toBe("12 of 400 compared calls differed (3%) at the shadow step; the flag was killed.");
    expect(
      describeTrip({
        metric: "latency_p95_ratio",
        action: "stop_ramp",
        trip: { trials: 900, observedP95Ms: { control: 25, candidate: null } },
      }),
    ).toBe("p95 25 ms (old) vs > 5000 ms (new) over 900 calls; its ramp was stopped.");
  });
});
