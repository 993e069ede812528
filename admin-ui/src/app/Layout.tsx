/** @module The frame of every signed-in screen: the navigation, who is logged in, and the page. */
import type { ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { useLiveUpdates } from "../api/live.js";
import { LogoutButton } from "../auth/LogoutButton.js";
import { useMe } from "../auth/session.js";
import { FreezeBanner } from "../freezes/FreezeBanner.js";

export const NAV_ITEMS = [
  { href: "/flags", label: "Flags" },
  { href: "/segments", label: "Segments" },
  { href: "/history", label: "History" },
  { href: "/changelog", label: "Changelog" },
  { href: "/environments", label: "Environments" },
  { href: "/keys", label: "Keys" },
  { href: "/users", label: "Users" },
  { href: "/release", label: "Release" },
  { href: "/change-requests", label: "Approvals" },
  { href: "/freezes", label: "Freezes" },
  { href: "/usage", label: "Usage" },
  { href: "/incident", label: "Incident" },
] as const;

export function Layout({ children }: { children: ReactNode }) {
  useLiveUpdates();
  const [location] = useLocation();
  const me = useMe().data;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/flags" className="brand">
          Switchyard
        </Link>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV_ITEMS.map((item) => {
              const current = location === item.href || location.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link href={item.href} className="nav-link" aria-current={current ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="topbar-user">
          {me && (
            <span className="muted small" title={`Role: ${me.role}`}>
              {me.name} · {me.role}
            </span>
          )}
          <LogoutButton />
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <FreezeBanner />
        {children}
      </main>
    </div>
  );
}
