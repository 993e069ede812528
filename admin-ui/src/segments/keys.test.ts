import { describe, expect, it } from "vitest";
import { parseKeys } from "./keys.js";

describe("parseKeys", () => {
  it("reads 100,000 keys in chunks that yield to the browser, dropping duplicates and reporting bad lines", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
    lines.push("user-7", "", `  user-42  `, "x".repeat(300));
    let progressCalls = 0;
    const parsed = await parseKeys(lines.join("\n"), { onProgress: () => progressCalls++ });
    expect(parsed.keys).toHaveLength(100_000);
    expect(parsed.duplicates).toBe(2);
    expect(parsed.invalid).toEqual([{ line: 100_004, reason: "longer than 256 characters" }]);
    expect(parsed.chunks).toBeGreaterThanOrEqual(20);
    expect(progressCalls).toBe(parsed.chunks);
  });

  it("takes the first CSV column and skips a key/id header", async () => {
    const parsed = await parseKeys('user_id,plan\n"ana",pro\nbo,free\r\n', { csv: true });
    expect(parsed.keys).toEqual(["ana", "bo"]);
  });

  it("stops between chunks once aborted, so a newer paste replaces it", async () => {
    const controller = new AbortController();
    let progress = 0;
    const parsing = parseKeys(Array.from({ length: 50_000 }, (_, i) => `k${i}`).join("\n"), {
      signal: controller.signal,
      onProgress: () => {
        progress++;
        if (progress === 2) controller.abort();
      },
    });
    await expect(parsing).rejects.toMatchObject({ name: "AbortError" });
    expect(progress).toBe(2);
  });

  it("refuses more keys than a segment holds", async () => {
    const parsed = await parseKeys(Array.from({ length: 100_001 }, (_, i) => `k${i}`).join("\n"));
    expect(parsed.invalid.at(-1)?.reason).toMatch(/at most 100,000|at most 100.000|at most 100000/);
  });
});
