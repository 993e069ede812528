/**
 * @module The demo a fresh install starts with: development → staging → production, five flags of
 * every kind, a `pilot-users` segment, and a server and a client key per environment (secrets shown once).
 * Everything goes through the same write path as the API, so the audit log tells the story.
 */
import type { Actor } from "../auth/actor.js";
import type { AppDeps } from "../deps.js";
import { createEnvironment } from "../environments/store.js";
import { updateState } from "../flags/state-store.js";
import { createFlag, type NewFlag } from "../flags/store.js";
import { createKey } from "../keys/store.js";
import { createSegment } from "../segments/store.js";

type Deps = Omit<AppDeps, "rulesets">;

export interface DemoSeed {
  /** Per environment: SDK key secrets, shown only at this start. */
  keys: Record<string, { server: string; client: string }>;
}

const SEED_ACTOR: Actor = { type: "system", id: null, name: "demo seed", role: "admin" };

const ENVIRONMENTS = [
  { key: "development", name: "Development", color: "#2f9e44", corsOrigins: ["*"] },
  {
    key: "staging",
    name: "Staging",
    color: "#f08c00",
    corsOrigins: ["http://localhost:5173", "http://localhost:4000"],
  },
  {
    key: "production",
    name: "Production",
    color: "#e03131",
    corsOrigins: ["http://localhost:5173", "http://localhost:4000"],
  },
];

const FLAGS: NewFlag[] = [
  {
    key: "new-checkout",
    name: "New checkout",
    description: "The rewritten checkout flow: pilot users first, then a gradual rollout.",
    kind: "boolean",
    tags: ["checkout", "payments"],
    owner: "payments-team",
    temporary: true,
    clientVisible: true,
  },
  {
    key: "banner-text",
    name: "Banner text",
    description: "Home page banner copy.",
    kind: "string",
    variations: [
      { key: "welcome", value: "Welcome to Switchyard Shop!" },
      { key: "sale", value: "Spring sale: 20% off everything" },
    ],
    tags: ["marketing"],
    owner: "growth-team",
    temporary: false,
    clientVisible: true,
  },
  {
    key: "search-ranking",
    name: "Search ranking",
    description: "Which ranking model orders search results.",
    kind: "string",
    variations: [
      { key: "classic", value: "bm25" },
      { key: "hybrid", value: "hybrid-v2" },
      { key: "neural", value: "neural-v1" },
    ],
    tags: ["search"],
    owner: "search-team",
    temporary: true,
    clientVisible: false,
  },
  {
    key: "max-items",
    name: "Max items per page",
    description: "Page size for listings.",
    kind: "number",
    variations: [
      { key: "small", value: 10 },
      { key: "medium", value: 25 },
      { key: "large", value: 50 },
    ],
    tags: ["performance"],
    owner: "platform-team",
    temporary: false,
    clientVisible: true,
  },
  {
    key: "theme-config",
    name: "Theme configuration",
    description: "Colours and density of the storefront.",
    kind: "json",
    variations: [
      { key: "light", value: { mode: "light", accent: "#1c7ed6", density: "comfortable" } },
      { key: "dark", value: { mode: "dark", accent: "#74c0fc", density: "compact" } },
    ],
    tags: ["ui"],
    owner: "design-team",
    temporary: false,
    clientVisible: true,
  },
];

const PILOT_USERS = ["user-alice", "user-bob", "user-carol", "user-dave", "user-erin"];

export async function isDatabaseEmpty(deps: Pick<AppDeps, "db">): Promise<boolean> {
  const env = await deps.db.selectFrom("environments").select("key").limit(1).executeTakeFirst();
  const flag = await deps.db.selectFrom("flags").select("key").limit(1).executeTakeFirst();
  return !env && !flag;
}

export async function seedDemo(deps: Deps): Promise<DemoSeed> {
  for (const env of ENVIRONMENTS) await createEnvironment(deps, SEED_ACTOR, env);
  for (const flag of FLAGS) await createFlag(deps, SEED_ACTOR, flag);
  for (const env of ENVIRONMENTS) {
    await createSegment(deps, SEED_ACTOR, env.key, {
      key: "pilot-users",
      name: "Pilot users",
      description: "Customers who agreed to try new features first.",
      included: PILOT_USERS,
    });
  }
  const pilotRule = {
    id: "pilot-users",
    description: "Pilot users get the new checkout",
    clauses: [{ attribute: "targetingKey", op: "segmentMatch" as const, values: ["pilot-users"] }],
    serve: { variation: "on" },
  };
  await on(deps, "development", "new-checkout", { fallthrough: { variation: "on" } });
  await on(deps, "staging", "new-checkout", {
    rules: [pilotRule],
    fallthrough: {
      rollout: {
        weights: [
          { variation: "on", weight: 20_000 },
          { variation: "off", weight: 80_000 },
        ],
      },
    },
  });
  await on(deps, "production", "new-checkout", { rules: [pilotRule], fallthrough: { variation: "off" } });
  for (const env of ["development", "staging", "production"]) {
    await on(deps, env, "banner-text", {
      fallthrough: { variation: env === "production" ? "welcome" : "sale" },
    });
    await on(deps, env, "max-items", { fallthrough: { variation: "medium" } });
    await on(deps, env, "theme-config", { fallthrough: { variation: "light" } });
  }
  await on(deps, "development", "search-ranking", { fallthrough: { variation: "neural" } });
  await on(deps, "staging", "search-ranking", {
    fallthrough: {
      rollout: {
        weights: [
          { variation: "classic", weight: 50_000 },
          { variation: "hybrid", weight: 30_000 },
          { variation: "neural", weight: 20_000 },
        ],
      },
    },
  });

  const keys: DemoSeed["keys"] = {};
  for (const env of ENVIRONMENTS) {
    const server = await createKey(deps, SEED_ACTOR, {
      name: `${env.key} server (demo)`,
      kind: "server",
      environment: env.key,
    });
    const client = await createKey(deps, SEED_ACTOR, {
      name: `${env.key} client (demo)`,
      kind: "client",
      environment: env.key,
    });
    keys[env.key] = { server: server.secret, client: client.secret };
  }
  return { keys };
}

async function on(deps: Deps, environment: string, flag: string, changes: Parameters<typeof updateState>[5]) {
  const state = await deps.db
    .selectFrom("flag_states")
    .select("version")
    .where("environment_key", "=", environment)
    .where("flag_key", "=", flag)
    .executeTakeFirstOrThrow();
  await updateState(
    deps,
    SEED_ACTOR,
    environment,
    flag,
    state.version,
    { on: true, ...changes },
    "demo seed",
  );
}
