import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateSecret } from "./keys/secret.js";
import { startServer } from "./server.js";

const dataDir = mkdtempSync(join(tmpdir(), "sy-data-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("a PGlite data folder across restarts", () => {
  it("keeps its data, seeds only once, and closes cleanly enough to reopen", async () => {
    const adminToken = generateSecret("admin");
    const options = { port: 0, host: "127.0.0.1", dataDir, seedDemo: true, adminToken, logLevel: "silent" };
    const first = await startServer(options);
    expect(first.seeded).toBeDefined();
    const res = await fetch(`${first.url}/api/v1/flags`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ key: "kept", name: "Kept", kind: "boolean" }),
    });
    expect(res.status).toBe(201);
    await first.close();

    const second = await startServer(options);
    try {
      expect(second.seeded).toBeUndefined();
      const flags = (await (
        await fetch(`${second.url}/api/v1/flags`, { headers: { authorization: `Bearer ${adminToken}` } })
      ).json()) as { flags: { key: string }[] };
      expect(flags.flags.map((f) => f.key)).toContain("kept");
      expect(flags.flags).toHaveLength(6);
    } finally {
      await second.close();
    }
  }, 30_000);
});
