#!/usr/bin/env node
// Makes sure what the end-to-end tests need is on this machine before `pnpm test` runs them:
// Debian's Chromium (never a downloaded browser build). Installs it with apt when we are root,
// otherwise says exactly what to run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("test-prereqs: installing Debian's chromium for the end-to-end tests…");
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "chromium"]);
  } else {
    console.error(
      `test-prereqs: ${CHROMIUM} not found. The end-to-end tests drive Debian's Chromium:\n` +
        "  sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium binary)",
    );
    process.exit(1);
  }
}
