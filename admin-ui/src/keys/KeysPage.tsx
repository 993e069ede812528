/** @module `/keys`: SDK and admin keys per environment. Placeholder until the screen is built. */
import { Placeholder } from "../components/Placeholder.js";

export function KeysPage() {
  return <Placeholder title="API keys" />;
}
