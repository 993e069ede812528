/**
 * @module One segment: who is in it and who is kept out (keys pasted or uploaded, 100,000 without
 * freezing the page: summarised, never rendered one by one), and its attribute rules.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { queryKeys } from "../api/query.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { KeyUpload } from "./KeyUpload.js";
import { SegmentRules, type SegmentView } from "./SegmentRules.js";

const sample = (keys: string[]) =>
  keys.length > 0 ? `: ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? "…" : ""}` : "";

export function SegmentEditor({ env, segmentKey }: { env: string; segmentKey: string }) {
  const client = useQueryClient();
  const path = `/environments/${encodeURIComponent(env)}/segments/${encodeURIComponent(segmentKey)}`;
  const segment = useQuery({
    queryKey: queryKeys.segment(env, segmentKey),
    queryFn: () => api<SegmentView>(path),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.segments(env) });
  };
  if (!segment.data) return <ErrorBanner error={segment.error} />;
  const s = segment.data;
  return (
    <section className="segment-editor" aria-label={`Segment ${s.key}`}>
      <h2>{s.name}</h2>
      <p className="muted">
        {s.included.length.toLocaleString()} keys in{sample(s.included)}
        {s.excluded.length > 0 && (
          <>
            {" "}
            · {s.excluded.length.toLocaleString()} kept out{sample(s.excluded)}
          </>
        )}
      </p>
      <KeyUpload path={`${path}/included`} version={s.version} label="Included keys" onDone={refresh} />
      <KeyUpload
        path={`${path}/excluded`}
        version={s.version}
        label="Excluded keys"
        hint="Never in the segment, even if a rule matches them."
        onDone={refresh}
      />
      <SegmentRules path={path} segment={s} onSaved={refresh} />
    </section>
  );
}
