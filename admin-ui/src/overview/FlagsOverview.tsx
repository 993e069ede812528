/**
 * @module `/flags`: every flag, one column per environment showing on/off and what it serves; search
 * and filters (kept in the URL), keyboard navigation (↑/↓, Page Up/Down, Home/End, Enter opens, `/`
 * searches), a kill button per cell, each flag's pipeline (which environments match the one before and
 * a promote link where they differ), and a virtualised list so thousands of flags stay smooth.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { useEnvironments } from "../api/flags.js";
import { type OverviewFlag, useOverview } from "../api/overview.js";
import type { Environment } from "../api/types.js";
import { paths } from "../app/paths.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { KillDialog } from "../kill/KillDialog.js";
import { KillNotice } from "../kill/KillNotice.js";
import { FilterBar } from "./FilterBar.js";
import {
  EMPTY_FILTER,
  filterChoices,
  filterFlags,
  filterFromSearch,
  filterToSearch,
  type OverviewFilter,
} from "./filter.js";
import { NewFlagDialog } from "./NewFlagDialog.js";
import { OverviewRow, ROW_HEIGHT } from "./OverviewRow.js";

const flagHref = paths.flag;

const PAGE_ROWS = 10;
const NO_FLAGS: OverviewFlag[] = [];

export function FlagsOverview() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  const setFilter = useCallback(
    (next: OverviewFilter) => {
      const query = filterToSearch(next);
      navigate(query ? `/flags?${query}` : "/flags", { replace: true });
    },
    [navigate],
  );

  const environments = useEnvironments();
  const overview = useOverview();
  const envs = environments.data ?? [];
  // Editors may kill and create; the server enforces it, this only hides what would be refused.
  const canKill = useCan("editor");

  const all = overview.data?.flags ?? NO_FLAGS;
  const rows = useMemo(() => filterFlags(all, filter), [all, filter]);
  const choices = useMemo(() => filterChoices(all), [all]);

  const [activeKey, setActiveKey] = useState<string | null>(null);
  const found = activeKey === null ? -1 : rows.findIndex((f) => f.key === activeKey);
  const activeIndex = found >= 0 ? found : rows.length > 0 ? 0 : -1;

  const [killing, setKilling] = useState<{ flag: string; env: Environment } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [lastKill, setLastKill] = useState<{ flag: string; env: Environment; version?: number } | null>(null);
  const [creating, setCreating] = useState(false);
  const startKill = useCallback((flag: string, env: Environment) => setKilling({ flag, env }), []);

  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLTableElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: 800 },
  });

  const moveTo = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) return;
    setActiveKey(row.key);
    virtualizer.scrollToIndex(rows.indexOf(row), { align: "auto" });
  };

  const onGridKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.target !== event.currentTarget) return; // keys inside a cell's buttons are theirs
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + PAGE_ROWS,
      PageUp: activeIndex - PAGE_ROWS,
      Home: 0,
      End: rows.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === "Enter") {
      const row = rows[activeIndex];
      if (row) {
        event.preventDefault();
        navigate(flagHref(row.key));
      }
    }
  };

  // `/` jumps to the search box from anywhere on the page, as on most list screens.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest("input, textarea, select, [contenteditable='true'], [role='dialog']");
      if (event.key === "/" && !typing && !event.metaKey && !event.ctrlKey) {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const loading = overview.isPending || environments.isPending;
  const error = overview.error ?? environments.error;
  const columns = `minmax(16rem, 2fr) repeat(${Math.max(envs.length, 1)}, minmax(10rem, 1fr))`;
  const activeRow = rows[activeIndex];

  return (
    <section className="page overview" aria-labelledby="overview-title">
      <header className="page-header">
        <h1 id="overview-title">Flags</h1>
        <p className="muted small" aria-live="polite">
          {loading ? "Loading…" : `${rows.length} of ${all.length} flags`}
        </p>
        {canKill && (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New flag
            </button>
          </div>
        )}
      </header>
      <FilterBar
        filter={filter}
        onChange={setFilter}
        tags={choices.tags}
        owners={choices.owners}
        environments={envs}
        searchRef={searchRef}
        onSearchArrowDown={() => {
          gridRef.current?.focus();
          if (activeIndex < 0) moveTo(0);
        }}
      />
      <ErrorBanner error={error} />
      {lastKill && (
        <KillNotice
          key={`${lastKill.flag}@${lastKill.env.key}:${lastKill.version}`}
          flag={lastKill.flag}
          env={lastKill.env}
          version={lastKill.version}
          onDismiss={() => setLastKill(null)}
        />
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <div ref={scrollRef} className="flag-grid" data-testid="flag-grid-scroll">
        <table
          ref={gridRef}
          className="flag-table"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: table + role=grid is the ARIA pattern for a keyboard-navigable data grid
          role="grid"
          aria-label="Flags by environment"
          aria-rowcount={rows.length + 1}
          aria-colcount={envs.length + 1}
          aria-activedescendant={activeRow ? rowId(activeRow.key) : undefined}
          aria-busy={loading}
          tabIndex={0}
          onKeyDown={onGridKeyDown}
          style={{ "--grid-columns": columns } as React.CSSProperties}
        >
          <thead>
            <tr className="flag-grid-head" aria-rowindex={1}>
              <th scope="col" className="flag-grid-cell">
                Flag
              </th>
              {envs.map((env) => (
                <th scope="col" className="flag-grid-cell env-head" key={env.key}>
                  <span
                    className="env-swatch"
                    style={{ background: env.color ?? "var(--muted)" }}
                    aria-hidden
                  />
                  {env.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const flag = rows[item.index] as OverviewFlag;
              return (
                <OverviewRow
                  key={flag.key}
                  id={rowId(flag.key)}
                  index={item.index}
                  top={item.start}
                  flag={flag}
                  environments={envs}
                  active={item.index === activeIndex}
                  canKill={canKill}
                  href={flagHref(flag.key)}
                  onSelect={setActiveKey}
                  onKill={startKill}
                />
              );
            })}
          </tbody>
        </table>
        {loading ? (
          <SkeletonRows />
        ) : (
          rows.length === 0 && (
            <EmptyState hasFlags={all.length > 0} onClear={() => setFilter(EMPTY_FILTER)} />
          )
        )}
      </div>
      {creating && (
        <NewFlagDialog onClose={() => setCreating(false)} onCreated={(key) => navigate(flagHref(key))} />
      )}
      {killing && (
        <KillDialog
          flag={killing.flag}
          env={killing.env.key}
          envName={killing.env.name}
          onClose={() => setKilling(null)}
          onKilled={(result) => {
            setAnnouncement(`${killing.flag} killed in ${killing.env.name}.`);
            setLastKill({ ...killing, version: result.rulesetVersions[killing.env.key] });
          }}
        />
      )}
    </section>
  );
}

const rowId = (key: string) => `flag-row-${key}`;

function SkeletonRows() {
  return (
    <div className="skeleton-rows">
      <span className="visually-hidden">Loading flags…</span>
      {Array.from({ length: 8 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to key on
        <div key={i} className="skeleton" style={{ height: ROW_HEIGHT }} />
      ))}
    </div>
  );
}

function EmptyState({ hasFlags, onClear }: { hasFlags: boolean; onClear: () => void }) {
  return (
    <div className="empty">
      {hasFlags ? (
        <p>
          No flag matches these filters.{" "}
          <button type="button" className="button-link" onClick={onClear}>
            Clear the filters
          </button>
        </p>
      ) : (
        <p>
          No flags yet. Create one with <strong>New flag</strong>, or through the{" "}
          <a href="/api/docs">admin API</a>.
        </p>
      )}
    </div>
  );
}
