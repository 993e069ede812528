/** @module `/flags/:key`: one flag across environments. Placeholder until the flag page is built. */
import { Link } from "wouter";
import { Placeholder } from "../components/Placeholder.js";

export function FlagPage({ flagKey }: { flagKey: string }) {
  return (
    <Placeholder title={flagKey}>
      The flag page is not built yet. <Link href="/flags">Back to all flags</Link>
    </Placeholder>
  );
}
