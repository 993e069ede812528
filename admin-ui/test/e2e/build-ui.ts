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
  await build({
    root: fileURLToPath(new URL("../..", import.meta.url)),
    logLevel: "error",
    build: { outDir: UI_BUILD_DIR, emptyOutDir: true, sourcemap: false },
  });
}
