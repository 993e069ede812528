/** @module On every screen while an environment is frozen: which, why and until when (kills still work). */
import { Link } from "wouter";
import { paths } from "../app/paths.js";
import { useFreezes } from "./api.js";

export type { Freeze } from "./api.js";

export function FreezeBanner() {
  const freezes = useFreezes();
  if (!freezes.data?.length) return null;
  return (
    <div className="banner banner-freeze" role="status">
      {freezes.data.map((f) => (
        <p key={f.environment}>
          <strong>{f.environment} is frozen</strong> until{" "}
          <time dateTime={f.until}>{new Date(f.until).toLocaleString()}</time>: {f.reason} (by {f.createdBy}).
          Changes are refused; kills still work. <Link href={paths.freezes}>Freezes</Link>
        </p>
      ))}
    </div>
  );
}
