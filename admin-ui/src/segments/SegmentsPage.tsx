/** @module `/segments`: pilot-user cohorts per environment. Placeholder until the screen is built. */
import { Placeholder } from "../components/Placeholder.js";

export function SegmentsPage() {
  return <Placeholder title="Segments" />;
}
