/** @module What a screen shows until it is built: its name and what it will do. */
import type { ReactNode } from "react";

export function Placeholder({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="placeholder-title">
      <header className="page-header">
        <h1 id="placeholder-title">{title}</h1>
      </header>
      <div className="empty">
        <p>
          {children ?? "This screen is not built yet. The admin API at /api/docs has everything meanwhile."}
        </p>
      </div>
    </section>
  );
}
