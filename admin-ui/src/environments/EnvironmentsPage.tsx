/** @module `/environments`: environments in release order. Placeholder until the screen is built. */
import { Placeholder } from "../components/Placeholder.js";

export function EnvironmentsPage() {
  return <Placeholder title="Environments" />;
}
