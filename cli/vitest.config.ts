import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  // The tests start a real server on a fresh PGlite: ≈5 s to initialise, over 30 s on a busy shared machine.
  test: { hookTimeout: 90_000, include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
