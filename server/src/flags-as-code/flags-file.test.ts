import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../server.js";
import { parseFlagsFile } from "./apply.js";

const ADMIN = "sy_admin_flags_file_test_token_0123456789ab";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-flags-file-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const yaml = (bannerOn: boolean, pilotVariation: string, team = "[ana, bo]") => `version: 1
environment: local
segments:
  - key: team
    name: The team
    included: ${team}
flags:
  - key: new-checkout
    name: New checkout
    kind: boolean
    state:
      on: true
      offVariation: "off"
      rules:
        - id: team
          clauses: [{ attribute: targetingKey, op: segmentMatch, values: [team] }]
          serve: { variation: "${pilotVariation}" }
      fallthrough: { variation: "off" }
  - key: banner
    name: Banner
    kind: boolean
    state:
      on: ${bannerOn}
      offVariation: "off"
      fallthrough: { variation: "on" }
`;

async function start(file: string): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir: join(dir, "db"),
    adminToken: ADMIN,
    logLevel: "silent",
    bootstrapAdmin: false,
    shutdownGraceMs: 100,
    flagsFile: file,
  });
}
const api = async (server: RunningServer, method: string, path: string, body?: unknown, headers = {}) => {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test reads of API bodies
  return (await res.json()) as any;
};

describe("flags file at start-up", () => {
  it("creates the environment, segments and flags; a later start updates only what nobody changed", async () => {
    const file = join(dir, "flags.yaml");
    await writeFile(file, yaml(false, "on"));
    let server = await start(file);
    try {
      const checkout = await api(server, "GET", "/environments/local/flags/new-checkout");
      expect(checkout).toMatchObject({ on: true, rules: [{ id: "team", serve: { variation: "on" } }] });
      expect((await api(server, "GET", "/environments/local/segments/team")).included).toEqual(["ana", "bo"]);
      expect((await api(server, "GET", "/environments/local/flags/banner")).on).toBe(false);
      // Someone turns the banner on by hand.
      await api(server, "PATCH", "/environments/local/flags/banner", { on: true }, { "if-match": "*" });
    } finally {
      await server.close();
    }

    // The file changes both flags and the segment; only what nobody touched follows it.
    await writeFile(file, yaml(false, "off", "[ana, bo, cy]"));
    server = await start(file);
    try {
      expect((await api(server, "GET", "/environments/local/flags/banner")).on).toBe(true);
      const checkout = await api(server, "GET", "/environments/local/flags/new-checkout");
      expect(checkout.rules[0].serve).toEqual({ variation: "off" });
      const audit = await api(server, "GET", "/audit?flag=new-checkout&environment=local");
      expect(audit.entries[0]).toMatchObject({ actor: { name: "flags file" }, reason: "flags file" });
      const team = await api(server, "GET", "/environments/local/segments/team");
      expect(team.included).toEqual(["ana", "bo", "cy"]);
      // Someone edits the segment; then local is frozen.
      await api(server, "PATCH", "/environments/local/segments/team", {
        included: ["dee"],
        version: team.version,
      });
      const until = new Date(Date.now() + 3_600_000).toISOString();
      await api(server, "PUT", "/environments/local/freeze", { reason: "demo day", until });
    } finally {
      await server.close();
    }

    // Frozen: the server still starts, and leaves the frozen flag and the edited segment alone.
    await writeFile(file, yaml(false, "on", "[ana]"));
    server = await start(file);
    try {
      const checkout = await api(server, "GET", "/environments/local/flags/new-checkout");
      expect(checkout.rules[0].serve).toEqual({ variation: "off" });
      expect((await api(server, "GET", "/environments/local/segments/team")).included).toEqual(["dee"]);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("says where a bad file is wrong, shadow settings included", () => {
    expect(() => parseFlagsFile("version: 2\nenvironment: x\nflags: []")).toThrow(/version/);
    const shadow = (value: unknown) =>
      JSON.stringify({
        version: 1,
        environment: "x",
        flags: [
          {
            key: "a",
            name: "A",
            kind: "boolean",
            state: { on: true, offVariation: "off", fallthrough: { variation: "on" }, shadow: value },
          },
        ],
      });
    expect(() => parseFlagsFile(shadow({ sampleRate: "lots", stickiness: "user", timeoutMs: 50 }))).toThrow(
      /flags\.0\.state\.shadow\.sampleRate/,
    );
    expect(
      parseFlagsFile(shadow({ sampleRate: 5000, stickiness: "user", timeoutMs: 50 })).flags[0]?.state.shadow,
    ).toEqual({ sampleRate: 5000, stickiness: "user", timeoutMs: 50 });
    expect(() => parseFlagsFile('{"version":1,"environment":"x","flags":[{"key":"a"}]}')).toThrow(
      /flags\.0\.name/,
    );
  });
});
