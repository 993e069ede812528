/** @module `/users`: people and their roles. Placeholder until the screen is built. */
import { Placeholder } from "../components/Placeholder.js";

export function UsersPage() {
  return <Placeholder title="Users" />;
}
