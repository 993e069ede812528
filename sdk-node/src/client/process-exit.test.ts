import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FakeServer } from "../testing/fake-server.js";
import { booleanFlag, ruleset } from "../testing/rulesets.js";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
const servers: FakeServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Runs a script in a fresh Node process (TypeScript through tsx) and reports how it ended. */
function runNode(
  script: string,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: packageRoot,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, timedOut: signal === "SIGKILL" });
    });
  });
}

describe("process lifetime", () => {
  it("lets the process exit on its own after close(), with the stream open until then", async () => {
    const server = await FakeServer.start(ruleset(1, [booleanFlag("checkout", true)]));
    servers.push(server);
    const script = `
      import { createClient } from "./src/index.ts";
      const client = createClient({ url: ${JSON.stringify(server.url)}, sdkKey: "k", flushIntervalMs: 50 });
      await client.ready({ timeout: 5000 });
      console.log(client.boolean("checkout", { targetingKey: "u" }, false));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.close();
    `;
    const result = await runNode(script, 20_000);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("true");
    expect(server.to("/sdk/v1/metrics").length).toBeGreaterThan(0);
  }, 30_000);
});
