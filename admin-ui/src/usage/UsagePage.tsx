/** @module `/usage`: evaluations per flag and variation, stale flags. Placeholder until the screen is built. */
import { Placeholder } from "../components/Placeholder.js";

export function UsagePage() {
  return <Placeholder title="Usage" />;
}
