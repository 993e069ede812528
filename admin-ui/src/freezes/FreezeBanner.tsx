/** @module On every screen while an environment is frozen: which, why and until when (kills still work). */
import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client.js";

export interface Freeze {
  environment: string;
  reason: string;
  until: string;
  createdBy: string;
}

export function FreezeBanner() {
  const freezes = useQuery({
    queryKey: ["freezes"],
    queryFn: () => api<{ freezes: Freeze[] }>("/freezes").then((r) => r.freezes),
    refetchInterval: 15_000,
  });
  if (!freezes.data?.length) return null;
  return (
    <div className="banner banner-freeze" role="status">
      {freezes.data.map((f) => (
        <p key={f.environment}>
          <strong>{f.environment} is frozen</strong> until {new Date(f.until).toLocaleString()}: {f.reason}{" "}
          (by {f.createdBy}). Changes are refused; kills still work.
        </p>
      ))}
    </div>
  );
}
