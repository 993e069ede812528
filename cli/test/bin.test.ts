/**
 * The built `switchyard` bin, started the way an install starts it — through a symlink (npm's global bin,
 * `node_modules/.bin`) — prints and exits like the command run in process. It once did nothing there.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/main.js";
import tsupConfig from "../tsup.config.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "./harness.js";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
let server: TestServer;
let install: string;
let binLink: string;

/** Builds the package as its tsup config says (without declarations) into a folder laid out like an install. */
async function buildInstall(): Promise<void> {
  install = await mkdtemp(join(tmpdir(), "switchyard-bin-"));
  const config = tsupConfig as { entry: Record<string, string> };
  await build({
    ...tsupConfig,
    config: false,
    silent: true,
    dts: false,
    entry: Object.fromEntries(
      Object.entries(config.entry).map(([name, file]) => [name, join(PACKAGE_DIR, file)]),
    ),
    outDir: join(install, "package", "dist"),
  });
  // The package's dependencies, where Node looks for them from dist/.
  await symlink(join(PACKAGE_DIR, "node_modules"), join(install, "package", "node_modules"), "dir");
  const { bin } = JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8"));
  await mkdir(join(install, "bin"));
  binLink = join(install, "bin", "switchyard");
  await symlink(join(install, "package", bin.switchyard), binLink);
}

beforeAll(async () => {
  [server] = await Promise.all([startTestServer(), buildInstall()]);
});
afterAll(async () => {
  await server?.close();
  if (install) await rm(install, { recursive: true, force: true });
});

function runBin(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(binLink, args, { env: { PATH: process.env.PATH ?? "", ...env } }, (error, out, err) => {
      const code = error ? Number((error as { code?: number }).code) : 0;
      resolve({ code, out, err });
    });
  });
}

// Each case starts Node processes: seconds on a busy 2-core machine.
describe("the switchyard bin through a symlink", { timeout: 30_000 }, () => {
  it("answers --help with the usage and exit 0, and a usage mistake with exit 2", async () => {
    const help = await runBin(["--help"]);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain("switchyard <command> [options]");
    const noUrl = await runBin(["flags", "list"]);
    expect(noUrl.code).toBe(EXIT.usage);
    expect(noUrl.err).toContain("missing --url (or SWITCHYARD_URL)");
  });

  it("talks to a real server: JSON on stdout with exit 0, the API's problem with exit 1", async () => {
    const env = { SWITCHYARD_URL: server.url, SWITCHYARD_TOKEN: ADMIN_TOKEN };
    const list = await runBin(["flags", "list", "--json"], env);
    expect(list.code).toBe(EXIT.ok);
    expect(JSON.parse(list.out).map((f: { key: string }) => f.key)).toContain("new-checkout");
    const missing = await runBin(["flag", "on", "no-such-flag", "--env", "production"], env);
    expect(missing.code).toBe(EXIT.api);
    expect(missing.err).toContain("404");
  });
});
