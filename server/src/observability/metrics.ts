/**
 * @module Prometheus metrics, by hand (the text format is simple): request counts and latency per route,
 * connected streams, ruleset versions per environment, evaluations ingested. Route labels use the matched
 * route pattern, never the raw path, so cardinality stays bounded.
 */
import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps.js";
import { sdkServicesFor, streamHubFor } from "../sdk/services.js";

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  labels: string;
  /** Requests by status code. */
  totals: Map<number, number>;
  count: number;
  sum: number;
  buckets: number[];
}

export class RequestMetrics {
  /** Per method, then route: label strings are built once per series, not on every request. */
  private readonly series = new Map<string, Map<string, Series>>();

  private seriesOf(method: string, route: string): Series {
    let routes = this.series.get(method);
    if (!routes) {
      routes = new Map();
      this.series.set(method, routes);
    }
    let s = routes.get(route);
    if (!s) {
      const labels = `method="${method}",route="${route}"`;
      s = { labels, totals: new Map(), count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      routes.set(route, s);
    }
    return s;
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const s = this.seriesOf(method, route);
    s.totals.set(status, (s.totals.get(status) ?? 0) + 1);
    s.count++;
    s.sum += seconds;
    // Buckets are cumulative: every bucket from the first one that holds `seconds` counts it.
    for (let i = BUCKETS.length - 1; i >= 0 && seconds <= (BUCKETS[i] as number); i--) {
      s.buckets[i] = (s.buckets[i] as number) + 1;
    }
  }

  private all(): Series[] {
    return [...this.series.values()].flatMap((routes) => [...routes.values()]);
  }

  render(): string[] {
    const lines = [
      "# HELP switchyard_http_requests_total HTTP requests by route and status.",
      "# TYPE switchyard_http_requests_total counter",
    ];
    for (const s of this.all())
      for (const [status, n] of s.totals)
        lines.push(`switchyard_http_requests_total{${s.labels},status="${status}"} ${n}`);
    lines.push(
      "# HELP switchyard_http_request_duration_seconds Request latency.",
      "# TYPE switchyard_http_request_duration_seconds histogram",
    );
    for (const s of this.all()) {
      const { labels } = s;
      BUCKETS.forEach((b, i) => {
        lines.push(`switchyard_http_request_duration_seconds_bucket{${labels},le="${b}"} ${s.buckets[i]}`);
      });
      lines.push(`switchyard_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`switchyard_http_request_duration_seconds_sum{${labels}} ${s.sum}`);
      lines.push(`switchyard_http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    return lines;
  }
}

const registries = new WeakMap<AppDeps, RequestMetrics>();
export function requestMetricsFor(deps: AppDeps): RequestMetrics {
  const m = registries.get(deps) ?? new RequestMetrics();
  registries.set(deps, m);
  return m;
}

/** Times every request; mounted first. Streams are counted when their response starts. */
export function timeRequests(deps: AppDeps): MiddlewareHandler {
  const metrics = requestMetricsFor(deps);
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observe(
      c.req.method,
      c.req.routePath || "unmatched",
      c.res.status,
      (performance.now() - started) / 1000,
    );
  };
}

export function renderMetrics(deps: AppDeps, environments: string[]): string {
  const lines = requestMetricsFor(deps).render();
  lines.push(
    "# HELP switchyard_sdk_streams Connected SDK streams on this instance.",
    "# TYPE switchyard_sdk_streams gauge",
  );
  const streams = new Map<string, number>();
  for (const s of streamHubFor(deps).list())
    streams.set(s.environment, (streams.get(s.environment) ?? 0) + 1);
  for (const env of environments)
    lines.push(`switchyard_sdk_streams{environment="${env}"} ${streams.get(env) ?? 0}`);
  lines.push(
    "# HELP switchyard_ruleset_version Ruleset version held in memory.",
    "# TYPE switchyard_ruleset_version gauge",
  );
  for (const env of environments)
    lines.push(
      `switchyard_ruleset_version{environment="${env}"} ${deps.rulesets.server(env)?.version ?? -1}`,
    );
  lines.push(
    "# HELP switchyard_evaluations_ingested_total Evaluations reported by SDKs.",
    "# TYPE switchyard_evaluations_ingested_total counter",
  );
  const services = sdkServicesFor(deps);
  lines.push(`switchyard_evaluations_ingested_total ${services.usage.ingested}`);
  lines.push(
    "# HELP switchyard_batched_write_failures_total Failed stores of batched SDK reports (each is retried).",
    "# TYPE switchyard_batched_write_failures_total counter",
  );
  const writers = [services.usage, services.acks, services.shadow];
  for (const w of writers)
    lines.push(`switchyard_batched_write_failures_total{writer="${w.what}"} ${w.failures}`);
  lines.push(
    "# HELP switchyard_batched_write_dropped_total SDK report entries given up on (retries exhausted or buffer full).",
    "# TYPE switchyard_batched_write_dropped_total counter",
  );
  for (const w of writers)
    lines.push(`switchyard_batched_write_dropped_total{writer="${w.what}"} ${w.dropped}`);
  return `${lines.join("\n")}\n`;
}
