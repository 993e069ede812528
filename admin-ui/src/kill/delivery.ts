/**
 * @module "Has my kill reached everyone?": `GET /api/v1/environments/{env}/delivery?version=N` polled
 * every second until every live SDK instance has applied that ruleset version (or two minutes pass).
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/client.js";

export interface PendingInstance {
  instanceId: string;
  sdk: string | null;
  version: number | null;
  lastSeenAt: string;
}

export interface DeliveryStatus {
  environment: string;
  version: number;
  committedAt: string | null;
  instances: { total: number; acknowledged: number; pending: PendingInstance[] };
  latencyMs: { median: number; p95: number; max: number } | null;
}

export const DELIVERY_POLL_MS = 1_000;
const WATCH_FOR_MS = 120_000;

export const fetchDelivery = (env: string, version?: number) =>
  api<DeliveryStatus>(`/environments/${encodeURIComponent(env)}/delivery`, { query: { version } });

const deliveryQuery = (env: string, version: number | undefined, startedAt: number) => ({
  queryKey: ["environments", env, "delivery", version ?? "latest"],
  queryFn: () => fetchDelivery(env, version),
  refetchInterval: (query: { state: { data: DeliveryStatus | undefined } }) => {
    const data = query.state.data;
    const done = data && data.instances.acknowledged >= data.instances.total;
    return done || Date.now() - startedAt > WATCH_FOR_MS ? false : DELIVERY_POLL_MS;
  },
});

/** Delivery of `version` in `env` (the latest version when omitted), live while instances are pending. */
export function useDelivery(env: string, version?: number) {
  const [startedAt] = useState(() => Date.now());
  return useQuery(deliveryQuery(env, version, startedAt));
}

/** Delivery of several (environment, version) pairs at once, each live while instances are pending. */
export function useDeliveries(targets: { env: string; version: number }[]) {
  const [startedAt] = useState(() => Date.now());
  return useQueries({ queries: targets.map((t) => deliveryQuery(t.env, t.version, startedAt)) });
}

/**
 * How many live instances have `version`, from the delivery status of the same or a later version: an
 * instance listed as pending there is behind `version` only if its own version is lower.
 */
export function deliveredTo(status: DeliveryStatus, version: number): { total: number; applied: number } {
  const behind = status.instances.pending.filter((p) => p.version === null || p.version < version).length;
  return { total: status.instances.total, applied: status.instances.total - behind };
}

/** "3 of 5 instances", "no SDK instance connected", "all 5 instances". */
export function deliverySummary(status: DeliveryStatus): string {
  const { total, acknowledged } = status.instances;
  if (total === 0) return "No SDK instance is connected to this environment.";
  if (acknowledged >= total)
    return `Applied by all ${total} connected SDK instance${total === 1 ? "" : "s"}.`;
  return `Applied by ${acknowledged} of ${total} connected SDK instances; ${total - acknowledged} not yet.`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
