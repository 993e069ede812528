import { defineConfig } from "vitest/config";

const source = {
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
};

export default defineConfig({
  ...source,
  test: {
    projects: [
      { ...source, test: { name: "unit", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] } },
      {
        ...source,
        // Against the real server: each file starts one from a copy of a database migrated once per run.
        test: {
          name: "real-server",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          globalSetup: ["test/pglite-template.ts"],
          hookTimeout: 120_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
