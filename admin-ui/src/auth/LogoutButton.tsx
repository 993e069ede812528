/** @module Ends the session and goes to the login page. */
import { useLocation } from "wouter";
import { useLogout } from "./session.js";

export function LogoutButton() {
  const logout = useLogout();
  const [, navigate] = useLocation();
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={logout.isPending}
      onClick={() => logout.mutate(undefined, { onSettled: () => navigate("/login", { replace: true }) })}
    >
      Log out
    </button>
  );
}
