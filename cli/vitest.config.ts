import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  // The tests start a real server on a fresh PGlite (≈5 s to initialise, more on a busy machine).
  test: { hookTimeout: 30_000, include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
