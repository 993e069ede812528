/** @module `/history`: the audit log with before/after diffs. Placeholder until the screen is built. */
import { Placeholder } from "../components/Placeholder.js";

export function HistoryPage() {
  return <Placeholder title="History" />;
}
