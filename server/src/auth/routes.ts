/**
 * @module `/api/v1/auth`: log in and out with a password, who am I, and the one-time setup link.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { commitChange } from "../changes/commit.js";
import type { AppDeps } from "../deps.js";
import { jsonBody, jsonResponse, standardProblems } from "../openapi/route.js";
import { NotFoundError, UnauthorizedError } from "../problem/errors.js";
import { validationHook } from "../problem/zod.js";
import type { AppEnv } from "./context.js";
import { authenticate } from "./middleware.js";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords.js";
import { createSession, endSession } from "./sessions.js";
import { userForSetupToken } from "./setup.js";

const MeSchema = z
  .object({
    type: z.enum(["user", "api_key", "system", "guard"]),
    id: z.string().nullable(),
    name: z.string(),
    role: z.enum(["viewer", "editor", "admin"]),
  })
  .openapi("Me");

const LoginSchema = z
  .object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) })
  .strict();
const SetupSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(1000),
    email: z.email().max(320).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Auth"],
  summary: "Log in; sets an HttpOnly session cookie",
  request: { body: jsonBody(LoginSchema) },
  responses: { 200: jsonResponse(MeSchema, "Logged in"), ...standardProblems },
});
const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["Auth"],
  summary: "End the session",
  responses: { 204: { description: "Logged out" } },
});
const meRoute = createRoute({
  method: "get",
  path: "/auth/me",
  tags: ["Auth"],
  summary: "The caller: user or admin token, and its role",
  responses: { 200: jsonResponse(MeSchema, "The caller"), ...standardProblems },
});
const setupInfoRoute = createRoute({
  method: "get",
  path: "/auth/setup",
  tags: ["Auth"],
  summary: "Check a one-time setup token",
  request: { query: z.object({ token: z.string().min(1) }) },
  responses: {
    200: jsonResponse(z.object({ email: z.string(), name: z.string(), role: z.string() }), "Valid token"),
    ...standardProblems,
  },
});
const setupRoute = createRoute({
  method: "post",
  path: "/auth/setup",
  tags: ["Auth"],
  summary: "Choose a password with a one-time setup token; logs in",
  request: { body: jsonBody(SetupSchema) },
  responses: { 200: jsonResponse(MeSchema, "Password set, logged in"), ...standardProblems },
});

export function authRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/auth/me", authenticate(deps));

  app.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid("json");
    const user = await deps.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", email.toLowerCase())
      .where("disabled_at", "is", null)
      .executeTakeFirst();
    // Verify even for unknown users so timing does not reveal which emails exist.
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user?.password_hash || !ok) throw new UnauthorizedError("Wrong email or password.");
    await createSession(deps, c, user.id);
    return c.json({ type: "user" as const, id: String(user.id), name: user.email, role: user.role }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    await endSession(deps, c);
    return c.body(null, 204);
  });

  app.openapi(meRoute, (c) => c.json(c.get("actor"), 200));

  app.openapi(setupInfoRoute, async (c) => {
    const user = await userForSetupToken(deps, c.req.valid("query").token);
    if (!user) throw new NotFoundError("This setup link is unknown, used or expired.");
    return c.json({ email: user.email, name: user.name, role: user.role }, 200);
  });

  app.openapi(setupRoute, async (c) => {
    const input = c.req.valid("json");
    const user = await userForSetupToken(deps, input.token);
    if (!user) throw new NotFoundError("This setup link is unknown, used or expired.");
    const passwordHash = await hashPassword(input.password);
    const email = input.email?.toLowerCase() ?? user.email;
    const profile = { email, name: input.name ?? user.name, role: user.role };
    await commitChange(
      deps,
      {
        actor: { type: "user", id: String(user.id), name: email, role: user.role },
        action: "user.setup",
        targetType: "user",
        targetKey: String(user.id),
        before: null,
        after: profile,
        affects: [],
      },
      async (trx) => {
        await trx
          .updateTable("setup_tokens")
          .set({ used_at: deps.now() })
          .where("token_hash", "=", user.token_hash)
          .execute();
        await trx
          .updateTable("users")
          .set({ password_hash: passwordHash, email: profile.email, name: profile.name })
          .where("id", "=", user.id)
          .execute();
      },
    );
    await createSession(deps, c, user.id);
    return c.json({ type: "user" as const, id: String(user.id), name: email, role: user.role }, 200);
  });
  return app;
}

/** A valid scrypt hash of a random password, used to spend the same time on unknown emails. */
const DUMMY_HASH = "scrypt$16384$8$1$c3dpdGNoeWFyZC1kdW1teQ==$2rT9o5k3ZrSxGgYqB9o0l3bqkq0m1e7w4m5h3b2a1c0=";
