/**
 * @module `pnpm start`: reads configuration from the environment, starts the server (seeding a demo on an
 * empty database), prints where to go, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "./config.js";
import { startServer } from "./server.js";

/** The admin UI's build in this checkout (`pnpm --filter @switchyard/admin-ui build`), if there is one. */
const BUILT_ADMIN_UI = fileURLToPath(new URL("../../admin-ui/dist", import.meta.url));

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const server = await startServer({
    port: config.PORT,
    host: config.HOST,
    databaseUrl: config.DATABASE_URL,
    dataDir: config.SWITCHYARD_DATA_DIR,
    seedDemo: config.SWITCHYARD_SEED_DEMO !== "false",
    adminToken: config.SWITCHYARD_ADMIN_TOKEN,
    flagsFile: config.SWITCHYARD_FLAGS_FILE,
    logLevel: config.LOG_LEVEL,
    adminUiDir: config.SWITCHYARD_ADMIN_UI_DIR ?? adminUiIfBuilt(),
    publicUrl: config.PUBLIC_URL,
    trustProxy: config.TRUST_PROXY,
  });
  const base = server.deps.config.publicUrl;
  const lines = [
    "",
    `Switchyard is running on ${base}  (${config.DATABASE_URL ? "Postgres" : `embedded PGlite in ${config.SWITCHYARD_DATA_DIR}`})`,
    server.deps.config.adminUiDir
      ? `  Admin UI:       ${base}/`
      : "  Admin UI:       not built (pnpm --filter @switchyard/admin-ui build)",
    `  API reference:  ${base}/api/docs`,
  ];
  if (server.setupUrl)
    lines.push("", "First start: choose the admin password here (one-time link):", `  ${server.setupUrl}`);
  if (server.seeded) {
    lines.push("", "Demo SDK keys (shown only now; create more under /api/v1/keys):");
    for (const [env, keys] of Object.entries(server.seeded.keys)) {
      lines.push(`  ${env.padEnd(12)} server: ${keys.server}`, `  ${"".padEnd(12)} client: ${keys.client}`);
    }
  }
  console.log(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.deps.logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  console.error("Switchyard could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});

function adminUiIfBuilt(): string | undefined {
  return existsSync(`${BUILT_ADMIN_UI}/index.html`) ? BUILT_ADMIN_UI : undefined;
}
