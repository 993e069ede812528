/** @module `GET /metrics` in the Prometheus text format. */
import { Hono } from "hono";
import type { AppDeps } from "../deps.js";
import { renderMetrics } from "./metrics.js";

export function observabilityRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get("/metrics", async (c) => {
    const environments = await deps.db
      .selectFrom("environments")
      .select("key")
      .orderBy("sort_order")
      .execute();
    return c.text(
      renderMetrics(
        deps,
        environments.map((e) => e.key),
      ),
      200,
      { "Content-Type": "text/plain; version=0.0.4" },
    );
  });
  return app;
}
