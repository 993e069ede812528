/**
 * @module Everything killed, newest first (50 at a time, older on demand): what, where, by whom and why,
 * whether each kill has reached every connected SDK instance (per kill: the ruleset version it produced,
 * asked of the delivery API) and whether the flag is back on.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { api } from "../api/client.js";
import { useOverview } from "../api/overview.js";
import { paths } from "../app/paths.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { type DeliveryStatus, deliveredTo, useDeliveries } from "./delivery.js";

export interface Kill {
  id: number;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: "flag.kill" | "incident.declare";
  environment: string | null;
  tag: string | null;
  flags: string[];
  reason: string | null;
  rulesetVersion: number | null;
}

const PAGE = 50;

export function KilledList() {
  const flags = useOverview((o) => o.flags);
  const kills = useInfiniteQuery({
    // Under "audit": every kill and incident invalidates it.
    queryKey: ["audit", "kills"],
    queryFn: ({ pageParam }) =>
      api<{ kills: Kill[]; nextBefore: number | null }>("/overview/kills", {
        query: { before: pageParam, limit: PAGE },
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const entries = kills.data?.pages.flatMap((p) => p.kills) ?? [];
  const delivery = useLatestKillDelivery(entries);
  const isOn = (flag: string, env: string | null) =>
    env !== null && flags.data?.find((f) => f.key === flag)?.cells[env]?.on === true;

  return (
    <section aria-labelledby="killed-title" className="killed">
      <h2 id="killed-title">Killed recently</h2>
      <ErrorBanner error={kills.error} />
      {kills.isPending ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">Nothing has been killed.</p>
      ) : (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Where</th>
              <th scope="col">Who</th>
              <th scope="col">Why</th>
              <th scope="col">Delivered</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((kill) => {
              const backOn = kill.flags.filter((f) => isOn(f, kill.environment));
              return (
                <tr key={kill.id}>
                  <td>
                    <time dateTime={kill.at}>{new Date(kill.at).toLocaleString()}</time>
                  </td>
                  <td>
                    {kill.tag !== null && <span className="badge">tag {kill.tag}</span>}{" "}
                    {kill.flags.map((f, i) => (
                      <span key={f}>
                        {i > 0 && ", "}
                        <Link href={paths.flag(f)}>{f}</Link>
                      </span>
                    ))}
                    {kill.flags.length === 0 && <span className="muted">no flag was on</span>}
                  </td>
                  <td>{kill.environment}</td>
                  <td>{kill.actor.name}</td>
                  <td>{kill.reason}</td>
                  <td>
                    {deliveredText(kill, kill.environment ? delivery.get(kill.environment) : undefined)}
                  </td>
                  <td>{backOn.length > 0 ? `back on: ${backOn.join(", ")}` : "off"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {kills.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={kills.isFetchingNextPage}
          onClick={() => void kills.fetchNextPage()}
        >
          {kills.isFetchingNextPage ? "Loading…" : `Show older kills`}
        </button>
      )}
    </section>
  );
}

/** One delivery status per environment, for its newest listed kill (it answers for the older ones too). */
function useLatestKillDelivery(kills: Kill[]): Map<string, DeliveryStatus> {
  const newest = new Map<string, number>();
  for (const k of kills)
    if (k.environment && k.rulesetVersion !== null)
      newest.set(k.environment, Math.max(newest.get(k.environment) ?? 0, k.rulesetVersion));
  const targets = [...newest].map(([env, version]) => ({ env, version }));
  const results = useDeliveries(targets);
  const byEnv = new Map<string, DeliveryStatus>();
  for (const [i, target] of targets.entries()) {
    const data = results[i]?.data;
    if (data) byEnv.set(target.env, data);
  }
  return byEnv;
}

function deliveredText(kill: Kill, status: DeliveryStatus | undefined): string {
  if (kill.rulesetVersion === null) return "—";
  if (!status) return "checking…";
  const { total, applied } = deliveredTo(status, kill.rulesetVersion);
  if (total === 0) return "no SDK connected";
  return applied >= total ? `all ${total} instances` : `${applied} of ${total} instances`;
}
