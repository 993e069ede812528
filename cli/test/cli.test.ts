/**
 * The `switchyard` command against a real server (in process, PGlite in memory, demo data): what a CI job
 * sees — output and exit codes — for listing, kills, promotion, freezes, flags as code and generated types.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plural } from "../src/io.js";
import { EXIT } from "../src/main.js";
import { typeErrors } from "./compile.js";
import { admin, sy as run, startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), "switchyard-cli-"));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sy = (...argv: string[]) => run(server, ...argv);

describe("switchyard CLI", () => {
  it("lists flags as a table or JSON, and says how to use it on a mistake (exit 2)", async () => {
    const table = await sy("flags", "list");
    expect(table.code).toBe(EXIT.ok);
    expect(table.out.split("\n")[0]).toMatch(/^FLAG\s+KIND\s+DEVELOPMENT\s+PRODUCTION\s+STAGING$/);
    expect(table.out).toMatch(/new-checkout\s+boolean/);
    const json = JSON.parse((await sy("flags", "list", "--tag", "checkout", "--json")).out);
    expect(json.map((f: { key: string }) => f.key)).toEqual(["new-checkout"]);
    const wrong = await sy("flag", "explode", "new-checkout", "--env", "production");
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.err).toContain("use on, off or kill");
    expect((await sy("flags", "lst")).code).toBe(EXIT.usage);
    expect((await sy("import", "--env", "staging", "a.yaml", "b.yaml")).err).toContain(
      'unexpected argument "b.yaml"',
    );
    const noEnv = await sy("flags", "list", "--env", "prodution");
    expect(noEnv.code).toBe(EXIT.api);
    expect(noEnv.err).toContain("404");
  });

  it("kills a flag, and reports the API's problem with exit 1", async () => {
    const kill = await sy("flag", "kill", "new-checkout", "--env", "production", "--reason", "from CI");
    expect(kill).toMatchObject({ code: EXIT.ok, out: "killed new-checkout in production" });
    const missing = await sy("flag", "on", "no-such-flag", "--env", "production");
    expect(missing.code).toBe(EXIT.api);
    expect(missing.err).toContain("404");
  });

  it("promotes a tagged release with a dry run first (exit 3 when something would change)", async () => {
    const dry = await sy(
      "promote",
      "--from",
      "staging",
      "--to",
      "production",
      "--tag",
      "checkout",
      "--dry-run",
    );
    expect(dry.code).toBe(EXIT.changes);
    expect(dry.out).toContain("production new-checkout:");
    const real = await sy("promote", "--from", "staging", "--to", "production", "--tag", "checkout");
    expect(real.code).toBe(EXIT.ok);
    expect(real.out).toMatch(/promotion #\d+ applied to production$/);
    expect(
      (await sy("promote", "--from", "staging", "--to", "production", "--tag", "checkout", "--dry-run")).code,
    ).toBe(EXIT.ok);
  });

  it("promotes through a soak gate of so many minutes (exit 4: pending), and refuses a soak without minutes", async () => {
    const promote = ["promote", "--from", "staging", "--to", "development", "--flag", "banner-text"];
    await sy("flag", "on", "banner-text", "--env", "staging");
    await sy("flag", "off", "banner-text", "--env", "development");
    const noMinutes = await sy(...promote, "--gate", "soak");
    expect(noMinutes.code).toBe(EXIT.usage);
    expect(noMinutes.err).toContain("missing --soak-minutes");
    expect((await sy(...promote, "--soak-minutes", "60")).err).toContain("go with --gate soak");
    expect((await sy(...promote, "--gate", "soak", "--soak-minutes", "1.5")).code).toBe(EXIT.usage);

    const soak = await sy(
      ...promote,
      "--gate",
      "soak",
      "--soak-minutes",
      "60",
      "--max-mismatch-rate",
      "0.05",
    );
    expect(soak.code).toBe(EXIT.pending);
    const [, id] = soak.out.match(/promotion #(\d+) pending its soak gate: (.*)$/m) ?? [];
    expect(soak.out).toContain(
      "unchanged in staging for 60 minutes, with guards green and shadow mismatches under 5%",
    );
    const stored = await admin<{ status: string; gate: unknown }>(server, "GET", `/promotions/${id}`);
    expect(stored).toMatchObject({
      status: "pending",
      gate: { type: "soak", minutes: 60, maxMismatchRate: 0.05 },
    });
  });

  it("sets, lists and lifts a freeze; writes are refused meanwhile unless an admin overrides with a reason", async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const set = await sy("freeze", "set", "staging", "--reason", "release", "--until", until);
    expect(set).toMatchObject({
      code: EXIT.ok,
      out: `staging frozen until ${until} by automation (adminToken): release`,
    });
    const listed = JSON.parse((await sy("freeze", "list", "--json")).out);
    expect(listed.freezes).toMatchObject([{ environment: "staging", reason: "release", until }]);
    expect((await sy("freeze", "list", "--env", "production")).out).toBe("no freeze in force in production");

    const refused = await sy("flag", "on", "max-items", "--env", "staging");
    expect(refused.code).toBe(EXIT.api);
    expect(refused.err).toContain("423");
    expect(refused.err).toContain("staging is frozen");
    const overridden = await sy(
      "flag",
      "on",
      "max-items",
      "--env",
      "staging",
      "--override-freeze",
      "hotfix INC-7",
    );
    expect(overridden).toMatchObject({ code: EXIT.ok, out: "max-items on in staging" });
    const { entries } = await admin<{ entries: { action: string; reason: string | null }[] }>(
      server,
      "GET",
      "/audit?flag=max-items&environment=staging&limit=1",
    );
    expect(entries[0]?.reason).toContain("[freeze override: hotfix INC-7]");
    const notLatin1 = await sy("flag", "on", "max-items", "--env", "staging", "--override-freeze", "горит");
    expect(notLatin1.code).toBe(EXIT.usage);

    expect(await sy("freeze", "lift", "staging")).toMatchObject({
      code: EXIT.ok,
      out: "staging freeze lifted",
    });
    expect((await sy("freeze", "list")).out).toBe("no freeze in force");
    expect((await sy("flag", "off", "max-items", "--env", "staging")).code).toBe(EXIT.ok);
    expect((await sy("freeze", "staging")).code).toBe(EXIT.usage);
  });

  it("exports an environment as YAML, imports it elsewhere: dry run exit 3, apply, then nothing to do", async () => {
    const file = join(dir, "staging.yaml");
    expect((await sy("export", "--env", "staging", "--out", file)).code).toBe(EXIT.ok);
    const text = await readFile(file, "utf8");
    expect(text).toMatch(/^environment: staging/m);
    expect(await sy("export", "--env", "staging", "--format", "yaml")).toMatchObject({ out: text.trimEnd() });

    await sy("flag", "off", "search-ranking", "--env", "development");
    const dry = await sy("import", "--env", "development", file, "--dry-run");
    expect(dry.code).toBe(EXIT.changes);
    expect(dry.out).toContain("~ flag search-ranking state");
    expect((await sy("import", "--env", "development", file)).code).toBe(EXIT.ok);
    const again = await sy("import", "--env", "development", file, "--dry-run");
    expect(again).toMatchObject({ code: EXIT.ok, out: "development already matches the file" });

    const brandNew = join(dir, "new.json");
    const doc = JSON.parse((await sy("export", "--env", "staging", "--format", "json")).out);
    doc.flags.push({ ...doc.flags[0], key: "from-git", name: "From git" });
    await writeFile(brandNew, JSON.stringify(doc));
    expect((await sy("import", "--env", "staging", brandNew)).out).toContain("+ flag from-git");

    const broken = join(dir, "broken.json");
    const flag = doc.flags.find((f: { key: string }) => f.key === "max-items");
    flag.state = { ...flag.state, on: true, offVariation: "no-such-variation" };
    await writeFile(broken, JSON.stringify({ ...doc, flags: [flag], segments: [] }));
    const refused = await sy("import", "--env", "staging", broken);
    expect(refused.code).toBe(EXIT.api);
    expect(refused.err).toContain('stopped at "~ flag max-items state: on" after 0 of 1 change');
    expect(refused.err).toContain("offVariation");
  });

  it("exports the segments shadow sampling uses, and those their rules use, so a fresh environment gets them", async () => {
    const segments = "/environments/staging/segments";
    await admin(server, "POST", segments, { key: "staff", name: "Staff", included: ["ana"] });
    await admin(server, "POST", segments, {
      key: "shadow-cohort",
      name: "Shadow cohort",
      rules: [{ clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["staff"] }] }],
    });
    const shadow = { sampleRate: 50_000, stickiness: "user", segment: "shadow-cohort", timeoutMs: 200 };
    await admin(
      server,
      "PATCH",
      "/environments/staging/flags/search-ranking",
      { shadow },
      { "if-match": "*" },
    );

    const file = join(dir, "shadowed.json");
    expect((await sy("export", "--env", "staging", "--out", file)).code).toBe(EXIT.ok);
    const doc = JSON.parse(await readFile(file, "utf8"));
    expect(doc.segments.map((s: { key: string }) => s.key)).toEqual([
      "pilot-users",
      "shadow-cohort",
      "staff",
    ]);

    await admin(server, "POST", "/environments", { key: "preview", name: "Preview" });
    expect((await sy("import", "--env", "preview", file)).code).toBe(EXIT.ok);
    const again = await sy("import", "--env", "preview", file, "--dry-run");
    expect(again).toMatchObject({ code: EXIT.ok, out: "preview already matches the file" });
    const state = await admin<{ shadow: unknown }>(
      server,
      "GET",
      "/environments/preview/flags/search-ranking",
    );
    expect(state.shadow).toMatchObject(shadow);
  });

  it("says a write is pending approval, with exit 4, where the environment requires approval", async () => {
    await admin(server, "POST", "/environments", {
      key: "protected",
      name: "Protected",
      requiresApproval: true,
    });
    const on = await sy("flag", "on", "new-checkout", "--env", "protected");
    expect(on.code).toBe(EXIT.pending);
    const id = Number(
      on.out.match(/^new-checkout on in protected is pending approval: change request #(\d+) filed$/)?.[1],
    );
    expect(await admin(server, "GET", `/change-requests/${id}`)).toMatchObject({ status: "pending" });
    expect(await admin(server, "GET", "/environments/protected/flags/new-checkout")).toMatchObject({
      on: false,
    });

    const file = join(dir, "for-protected.yaml");
    await sy("export", "--env", "staging", "--out", file);
    const imported = await sy("import", "--env", "protected", file);
    expect(imported.code).toBe(EXIT.pending);
    // Segments are not gated (applied); flag states are (filed, one change request each).
    const segments = imported.out.match(/^\+ segment /gm)?.length ?? 0;
    const states = imported.out.match(/^~ flag .* state: /gm)?.length ?? 0;
    expect(segments).toBeGreaterThan(0);
    expect(imported.out).toContain(`applied ${plural(segments, "change")} to protected`);
    const filed = new RegExp(
      `^filed ${states} change requests in protected, pending approval: #\\d+(, #\\d+){${states - 1}}$`,
      "m",
    );
    expect(imported.out).toMatch(filed);

    // Run again (a pipeline's retry): the same requests are reported, none filed twice.
    const ids = (text: string) => [...text.matchAll(/#(\d+)/g)].map((m) => Number(m[1])).sort();
    const rerun = await sy("import", "--env", "protected", file);
    expect(rerun.code).toBe(EXIT.pending);
    expect(rerun.out).not.toMatch(/^filed /m);
    expect(rerun.out).toMatch(
      new RegExp(`^already pending approval in protected, not filed again: ${states} change requests #`, "m"),
    );
    expect(ids(rerun.out)).toEqual(ids(imported.out));
    const { changeRequests } = await admin<{ changeRequests: unknown[] }>(
      server,
      "GET",
      "/change-requests?status=pending&environment=protected",
    );
    expect(changeRequests).toHaveLength(states + 1); // and the `flag on` above

    const promoted = await sy("promote", "--from", "staging", "--to", "protected", "--flag", "max-items");
    expect(promoted.code).toBe(EXIT.pending);
    expect(promoted.out).toMatch(
      /promotion #\d+ pending approval by an editor or admin other than the requester$/,
    );
  });

  it("prints one JSON document with --json, for a pipeline to parse, with the same exit codes", async () => {
    const json = async (...argv: string[]) => {
      const { code, out } = await sy(...argv, "--json");
      return { code, body: JSON.parse(out) };
    };
    expect(await json("flag", "on", "theme-config", "--env", "staging")).toMatchObject({
      code: EXIT.ok,
      body: { flag: "theme-config", environment: "staging", action: "on", status: "applied" },
    });
    const killed = await json("flag", "kill", "theme-config", "--env", "development", "--reason", "CI");
    expect(killed).toMatchObject({ code: EXIT.ok, body: { action: "kill", status: "applied" } });
    expect(killed.body.version).toEqual(expect.any(Number));
    const pending = await json("flag", "off", "max-items", "--env", "protected");
    expect(pending).toMatchObject({ code: EXIT.pending, body: { status: "pending" } });
    expect(pending.body.changeRequest).toEqual(expect.any(Number));

    const promote = ["promote", "--from", "staging", "--to", "development", "--flag", "theme-config"];
    const dry = await json(...promote, "--dry-run");
    expect(dry).toMatchObject({ code: EXIT.changes, body: { preview: { blocked: false }, promotion: null } });
    const applied = await json(...promote);
    expect(applied).toMatchObject({
      code: EXIT.ok,
      body: {
        promotion: { status: "applied", from: "staging", to: ["development"], flags: ["theme-config"] },
      },
    });

    const file = join(dir, "json-import.json");
    await sy("export", "--env", "staging", "--out", file);
    await sy("flag", "off", "theme-config", "--env", "development");
    const planned = await json("import", "--env", "development", file, "--dry-run");
    expect(planned).toMatchObject({ code: EXIT.changes, body: { environment: "development", dryRun: true } });
    expect(planned.body.changes).toContainEqual({
      kind: "update-state",
      key: "theme-config",
      description: "~ flag theme-config state: on",
      status: "planned",
    });
    const imported = await json("import", "--env", "development", file);
    expect(imported.code).toBe(EXIT.ok);
    expect(imported.body.changes.map((c: { status: string }) => c.status)).toEqual(
      planned.body.changes.map(() => "applied"),
    );
  });

  // Compiling the SDKs' sources takes seconds, more on a busy machine.
  it("generates types that the real SDKs check: a misspelt key or a wrong default does not compile", {
    timeout: 90_000,
  }, async () => {
    const out = join(dir, "flags.ts");
    expect((await sy("types", "--env", "production", "--out", out)).code).toBe(EXIT.ok);
    const generated = await readFile(out, "utf8");
    expect(generated).toContain('"new-checkout": boolean;');
    expect(generated).toContain(
      '"banner-text": "Welcome to Switchyard Shop!" | "Spring sale: 20% off everything";',
    );

    const node = `import { createClient } from "@switchyard/sdk-node";
import { nodeFlags } from "./flags.js";

const flags = nodeFlags(createClient({ url: "http://127.0.0.1:1", sdkKey: "sy_server_x" }));
export const checkout: boolean = flags.get("new-checkout", { targetingKey: "u" }, false);
export const items: number = flags.get("max-items", undefined, 10);
export const ranking: "bm25" | "hybrid-v2" | "neural-v1" = flags.get("search-ranking", undefined, "bm25");
// @ts-expect-error misspelt key
flags.get("new-chekout", undefined, false);
// @ts-expect-error wrong default type
flags.get("new-checkout", undefined, "yes");
// @ts-expect-error a string flag's default is one of its values
flags.get("banner-text", undefined, "Hello");
`;
    const browser = `import { createBrowserClient } from "@switchyard/sdk-browser";
import { browserFlags } from "./flags.js";

const flags = browserFlags(createBrowserClient({ url: "http://127.0.0.1:1", clientKey: "sy_client_x" }));
export const checkout: boolean = flags.get("new-checkout", false);
export const theme = flags.get("theme-config", { mode: "light" });
// @ts-expect-error misspelt key
flags.get("new-chekout", false);
// @ts-expect-error wrong default type
flags.get("max-items", "10");
// @ts-expect-error not client-visible: a page never receives it
flags.get("search-ranking", "bm25");
`;
    expect(await typeErrors({ "flags.ts": generated, "node.ts": node, "browser.ts": browser })).toEqual([]);
  });
});
