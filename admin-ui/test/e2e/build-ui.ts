/**
 * vitest globalSetup of the end-to-end project: builds the admin UI once (Vite, production mode) into a
 * scratch folder the server then serves, exactly as `pnpm start` serves `admin-ui/dist`.
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const UI_BUILD_DIR = fileURLToPath(new URL("../../test-artifacts/ui-build", import.meta.url));

export default async function buildUi(): Promise<void> {
  rmSync(UI_BUILD_DIR, { recursive: true, force: true });
  // vitest sets NODE_ENV=test, which Vite honours (a development React); build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await buildProduction();
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

async function buildProduction(): Promise<void> {
  await build({
    root: fileURLToPath(new URL("../..", import.meta.url)),
    mode: "production",
    logLevel: "error",
    build: { outDir: UI_BUILD_DIR, emptyOutDir: true, sourcemap: false },
  });
}
