import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    projects: [
      {
        // Components and pure functions: in a simulated DOM.
        extends: true,
        test: {
          name: "unit",
          environment: "happy-dom",
          include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
        },
      },
      {
        // Real headless Chromium against the real server: plain Node.
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          globalSetup: ["test/e2e/build-ui.ts"],
          testTimeout: 30_000,
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
        },
      },
    ],
  },
});
