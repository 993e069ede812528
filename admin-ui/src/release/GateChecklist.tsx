/**
 * @module A pending promotion's gates, each passed (and when) or what it still waits for. Reads each
 * flag's state, guards and shadow mismatches in the source environment, as the soak gate does.
 */
import { useQueries } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { flagPath } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import type { FlagState } from "../api/types.js";
import { guardsQuery } from "../guards/api.js";
import type { ShadowSummary } from "../shadow/api.js";
import type { PromotionDetail } from "./api.js";
import { gateChecklist, type SourceFlag } from "./gate-status.js";

const STATE_WORD = { passed: "Passed", waiting: "Waiting", failing: "Will fail" } as const;

export function GateChecklist({ promotion: p }: { promotion: PromotionDetail }) {
  const soak = p.gate?.type === "soak";
  const flags = soak ? p.flags : [];
  const states = useQueries({
    queries: flags.map((flag) => ({
      queryKey: queryKeys.state(p.from, flag),
      queryFn: () => api<FlagState>(flagPath(p.from, flag)),
      refetchInterval: 10_000,
    })),
  });
  const guards = useQueries({ queries: flags.map((flag) => guardsQuery(p.from, flag)) });
  const shadows = useQueries({
    queries: flags.map((flag, i) => {
      const since = states[i]?.data?.updatedAt;
      return {
        queryKey: [...queryKeys.state(p.from, flag), "shadow", "since", since],
        queryFn: () =>
          api<ShadowSummary>(`${flagPath(p.from, flag)}/shadow`, {
            query: { from: since, windowMinutes: 1440 },
          }),
        enabled: Boolean(since),
        refetchInterval: 30_000,
      };
    }),
  });
  const source: SourceFlag[] = flags.map((flag, i) => ({
    flag,
    version: states[i]?.data?.version,
    updatedAt: states[i]?.data?.updatedAt,
    guardsTripped: guards[i]?.data?.some((g) => g.status === "tripped"),
    mismatchRate: shadows[i]?.data?.totals.mismatchRate,
  }));
  const items = gateChecklist(p, source, new Date());
  return (
    <ul className="gate-checklist" aria-label={`Gates of promotion #${p.id}`}>
      {items.map((item) => (
        <li key={item.key} className={`gate-${item.state}`}>
          <strong>{STATE_WORD[item.state]}:</strong> {item.text}
        </li>
      ))}
    </ul>
  );
}
