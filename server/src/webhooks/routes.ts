/**
 * @module `/api/v1/webhooks` (admins): where notifications of changes, kills, guard trips, promotions and
 * freezes go. The signing secret is shown once, at creation. Each webhook's delivery log shows every attempt.
 */
import { randomBytes } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { requireRole } from "../auth/middleware.js";
import { commitChange } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { AppDeps } from "../deps.js";
import { jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { NotFoundError } from "../problem/errors.js";
import { IdParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { notifyQueued } from "./outbox.js";
import { deliveriesOf } from "./worker.js";

const EventPattern = z
  .string()
  .regex(/^(\*|[a-z_-]+(\.[a-z_-]+)?(\.\*)?)$/, "an action (flag.kill), a prefix (flag.*) or *");
const fields = {
  name: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).max(2000),
  events: z.array(EventPattern).min(1).max(50),
  environment: z.string().min(1).nullable(),
  format: z.enum(["json", "slack"]),
  enabled: z.boolean(),
};
const CreateSchema = z
  .object({
    ...fields,
    environment: fields.environment.optional(),
    format: fields.format.optional(),
    enabled: fields.enabled.optional(),
  })
  .strict()
  .openapi("CreateWebhook");
const UpdateSchema = z.object(fields).partial().strict().openapi("UpdateWebhook");
const WebhookSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    environment: z.string().nullable(),
    format: z.enum(["json", "slack"]),
    enabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Webhook");
const DeliverySchema = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.array(
    z.object({ at: z.string(), status: z.number().nullable(), error: z.string().nullable(), ms: z.number() }),
  ),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
const tags = ["Webhooks"];

const route = <M extends "get" | "post" | "patch" | "delete">(method: M, path: string, summary: string) => ({
  method,
  path,
  tags,
  summary,
});
const listRoute = createRoute({
  ...route("get", "/webhooks", "List webhooks"),
  responses: {
    200: jsonResponse(z.object({ webhooks: z.array(WebhookSchema) }), "Webhooks"),
    ...standardProblems,
  },
});
const createRouteDef = createRoute({
  ...route(
    "post",
    "/webhooks",
    "Create a webhook; the response is the only time its signing secret is shown",
  ),
  request: { body: jsonBody(CreateSchema) },
  responses: { 201: jsonResponse(WebhookSchema.extend({ secret: z.string() }), "Created"), ...writeProblems },
});
const updateRoute = createRoute({
  ...route("patch", "/webhooks/{id}", "Change a webhook"),
  request: { params: IdParam, body: jsonBody(UpdateSchema) },
  responses: { 200: jsonResponse(WebhookSchema, "Updated"), ...writeProblems },
});
const deleteRoute = createRoute({
  ...route("delete", "/webhooks/{id}", "Delete a webhook and its delivery log"),
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...writeProblems },
});
const deliveriesRoute = createRoute({
  ...route("get", "/webhooks/{id}/deliveries", "The delivery log, newest first, with every attempt"),
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ deliveries: z.array(DeliverySchema) }), "Deliveries"),
    ...standardProblems,
  },
});
const testRoute = createRoute({
  ...route("post", "/webhooks/{id}/test", "Queue a ping to check the receiver and its signature check"),
  request: { params: IdParam },
  responses: { 202: { description: "Queued" }, ...standardProblems },
});

type Row = Awaited<ReturnType<typeof findWebhook>>;
const view = (row: Row) => ({
  id: row.id,
  name: row.name,
  url: row.url,
  events: row.events,
  environment: row.environment_key,
  format: row.format,
  enabled: row.enabled,
  createdAt: new Date(row.created_at).toISOString(),
});

async function findWebhook(db: AppDeps["db"], id: number) {
  const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No webhook ${id}.`);
  return row;
}

export function webhookRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/webhooks", requireRole("admin"));
  app.use("/webhooks/*", requireRole("admin"));

  app.openapi(listRoute, async (c) => {
    const rows = await deps.db.selectFrom("webhooks").selectAll().orderBy("id").execute();
    return c.json({ webhooks: rows.map(view) }, 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const input = c.req.valid("json");
    const secret = `whsec_${randomBytes(24).toString("base64url")}`;
    const { result } = await commitChange(
      deps,
      {
        actor: c.get("actor"),
        action: "webhook.create",
        targetType: "webhook",
        targetKey: input.name,
        before: null,
        after: (row: Row) => view(row),
        affects: [],
      },
      (trx) =>
        trx
          .insertInto("webhooks")
          .values({
            name: input.name,
            url: input.url,
            events: jsonb(input.events),
            environment_key: input.environment ?? null,
            format: input.format ?? "json",
            enabled: input.enabled ?? true,
            secret,
            created_by: c.get("actor").name,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
    );
    return c.json({ ...view(result), secret }, 201);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await findWebhook(deps.db, id);
    const { result } = await commitChange(
      deps,
      {
        actor: c.get("actor"),
        action: "webhook.update",
        targetType: "webhook",
        targetKey: before.name,
        before: view(before),
        after: (row: Row) => view(row),
        affects: [],
      },
      (trx) =>
        trx
          .updateTable("webhooks")
          .set({
            ...(input.name !== undefined && { name: input.name }),
            ...(input.url !== undefined && { url: input.url }),
            ...(input.events !== undefined && { events: jsonb(input.events) }),
            ...(input.environment !== undefined && { environment_key: input.environment }),
            ...(input.format !== undefined && { format: input.format }),
            ...(input.enabled !== undefined && { enabled: input.enabled }),
            version: before.version + 1,
          })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow(),
    );
    return c.json(view(result), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const before = await findWebhook(deps.db, id);
    await commitChange(
      deps,
      {
        actor: c.get("actor"),
        action: "webhook.delete",
        targetType: "webhook",
        targetKey: before.name,
        before: view(before),
        after: null,
        affects: [],
      },
      (trx) => trx.deleteFrom("webhooks").where("id", "=", id).execute(),
    );
    return c.body(null, 204);
  });

  app.openapi(deliveriesRoute, async (c) => {
    const { id } = c.req.valid("param");
    await findWebhook(deps.db, id);
    const rows = await deliveriesOf(deps.db, id);
    return c.json(
      {
        deliveries: rows.map((d) => ({
          id: String(d.id),
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          nextAttemptAt: d.status === "pending" ? new Date(d.next_attempt_at).toISOString() : null,
          createdAt: new Date(d.created_at).toISOString(),
          deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null,
        })),
      },
      200,
    );
  });

  app.openapi(testRoute, async (c) => {
    const { id } = c.req.valid("param");
    const hook = await findWebhook(deps.db, id);
    const text = `Switchyard test ping for webhook "${hook.name}"`;
    const payload = { id: 0, event: "webhook.test", occurredAt: deps.now().toISOString(), text };
    await deps.db
      .insertInto("webhook_deliveries")
      .values({
        webhook_id: id,
        audit_id: null,
        event: "webhook.test",
        payload: jsonb(payload),
        next_attempt_at: new Date(0),
      })
      .execute();
    notifyQueued();
    return c.body(null, 202);
  });
  return app;
}
