/**
 * @module Configuration from environment variables, validated once at start with a message that names
 * the bad variable.
 */
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  SWITCHYARD_DATA_DIR: z.string().min(1).default("./.switchyard"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  SWITCHYARD_ADMIN_UI_DIR: z.string().min(1).optional(),
  /** If set, an admin API key with exactly this secret is ensured at start (automation, CI). */
  SWITCHYARD_ADMIN_TOKEN: z
    .string()
    .regex(
      /^sy_admin_[A-Za-z0-9_-]{32,128}$/,
      "must look like sy_admin_<32 to 128 characters of A-Z a-z 0-9 _ ->",
    )
    .optional(),
  /** A flags file (JSON or YAML, the CLI's export format) applied on start. */
  SWITCHYARD_FLAGS_FILE: z.string().min(1).optional(),
  SWITCHYARD_SEED_DEMO: z.enum(["auto", "true", "false"]).default("auto"),
  /** Behind a reverse proxy that sets X-Forwarded-For: only then is that header the client's address. */
  TRUST_PROXY: z
    .enum(["true", "false"], "must be true or false")
    .default("false")
    .transform((v) => v === "true"),
});

export type ServerConfig = z.output<typeof envSchema>;

export class ConfigError extends Error {}

/** Reads and validates the environment; throws {@link ConfigError} listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? "?");
      return `  ${name}=${JSON.stringify(env[name] ?? "")}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
