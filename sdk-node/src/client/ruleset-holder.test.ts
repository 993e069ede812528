import { describe, expect, it } from "vitest";
import { booleanFlag, delta, ruleset } from "../testing/rulesets.js";
import { RulesetHolder } from "./ruleset-holder.js";

const v1 = ruleset(1, [booleanFlag("a", true), booleanFlag("b", true)]);

describe("RulesetHolder", () => {
  it("applies a valid ruleset and reports the first load", () => {
    const holder = new RulesetHolder(() => 123);
    expect(holder.replace(v1, '"e1"', "server")).toEqual({
      kind: "applied",
      version: 1,
      changed: ["a", "b"],
      first: true,
    });
    expect(holder).toMatchObject({ version: 1, etag: '"e1"', source: "server", appliedAt: 123 });
  });

  it("rejects invalid rulesets and keeps the last good one", () => {
    const holder = new RulesetHolder();
    holder.replace(v1, undefined, "server");
    for (const bad of [
      null,
      "x",
      { ...v1, version: 2, flags: "nope" },
      { ...v1, version: 3, formatVersion: 99 },
    ]) {
      expect(holder.replace(bad, undefined, "server").kind).toBe("rejected");
    }
    expect(holder.version).toBe(1);
    expect(holder.compiled).toBeDefined();
  });

  it("treats the same version again as unchanged, refreshing the etag", () => {
    const holder = new RulesetHolder();
    holder.replace(v1, '"a"', "persisted");
    expect(holder.replace(v1, '"b"', "server")).toEqual({ kind: "unchanged" });
    expect(holder).toMatchObject({ etag: '"b"', source: "server" });
  });

  it("validates a ruleset repeating the held version and rejects it when invalid", () => {
    const holder = new RulesetHolder();
    holder.replace(v1, '"s-production-1"', "server");
    const outcome = holder.replace({ ...v1, flags: "nope" }, '"x"', "server");
    expect(outcome.kind).toBe("rejected");
    expect(outcome.kind === "rejected" && outcome.error.message).toMatch(/invalid ruleset/);
    expect(holder).toMatchObject({ version: 1, etag: '"s-production-1"' });
    expect(holder.compiled?.flags.has("a")).toBe(true);
  });

  it("keeps the server's ETag in step with the version a delta or a stream put brings", () => {
    const holder = new RulesetHolder();
    holder.replace(v1, '"s-production-1"', "server");
    holder.patch(delta(1, 2, { upsert: [booleanFlag("a", false, 2)] }));
    expect(holder.etag).toBe('"s-production-2"');
    holder.replace(ruleset(12, [booleanFlag("a", true, 12)]), undefined, "server");
    expect(holder.etag).toBe('"s-production-12"');
    // A tag that does not name the version is not guessed at.
    holder.replace(ruleset(13, [booleanFlag("a", true, 13)]), '"opaque"', "server");
    holder.patch(delta(13, 14, { upsert: [booleanFlag("a", false, 14)] }));
    expect(holder.etag).toBeUndefined();
    // Nor is one for another environment.
    holder.replace(ruleset(15, [booleanFlag("a", true, 15)]), '"s-production-15"', "server");
    holder.replace(ruleset(16, [booleanFlag("a", true, 16)], [], "staging"), undefined, "server");
    expect(holder.etag).toBeUndefined();
  });

  it("accepts an older ruleset from the server unless a newer one overtook it", () => {
    const holder = new RulesetHolder();
    holder.replace(ruleset(5, [booleanFlag("a", false, 5)]), undefined, "server");
    expect(holder.replace(v1, undefined, "server", false)).toEqual({ kind: "unchanged" });
    expect(holder.version).toBe(5);
    expect(holder.replace(v1, undefined, "server", true).kind).toBe("applied");
    expect(holder.version).toBe(1);
  });

  it("applies a delta from the version held and names the changed flags", () => {
    const holder = new RulesetHolder();
    holder.replace(v1, '"e1"', "server");
    const outcome = holder.patch(delta(1, 2, { upsert: [booleanFlag("a", false, 2)] }));
    expect(outcome).toEqual({ kind: "applied", version: 2, changed: ["a"], first: false });
    expect(holder.etag).toBeUndefined();
    expect(holder.ruleset?.flags.find((f) => f.key === "a")?.on).toBe(false);
  });

  it("asks for a refetch when a delta does not start from the version held", () => {
    const holder = new RulesetHolder();
    expect(holder.patch(delta(1, 2, {})).kind).toBe("refetch");
    holder.replace(v1, undefined, "server");
    expect(holder.patch(delta(3, 4, {})).kind).toBe("refetch");
    expect(holder.patch(delta(1, 2, {}, undefined, "staging")).kind).toBe("refetch");
    expect(holder.patch(delta(0, 1, {}))).toEqual({ kind: "unchanged" });
    expect(holder.patch({ fromVersion: "1" }).kind).toBe("rejected");
  });

  it("rejects a delta whose result is invalid and keeps the rules", () => {
    const holder = new RulesetHolder();
    holder.replace(v1, undefined, "server");
    const broken = delta(1, 2, {
      upsert: [{ ...booleanFlag("a", false, 2), fallthrough: { variation: "missing" } }],
    });
    expect(holder.patch(broken).kind).toBe("rejected");
    expect(holder.version).toBe(1);
  });
});
