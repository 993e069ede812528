/** @module The overview's search box and tag / owner / state filters. */
import type { RefObject } from "react";
import type { Environment } from "../api/types.js";
import { NO_OWNER, type OverviewFilter } from "./filter.js";

export interface FilterBarProps {
  filter: OverviewFilter;
  onChange: (filter: OverviewFilter) => void;
  tags: string[];
  owners: string[];
  environments: Environment[];
  searchRef: RefObject<HTMLInputElement | null>;
  /** ↓ in the search box moves into the list. */
  onSearchArrowDown: () => void;
}

export function FilterBar({
  filter,
  onChange,
  tags,
  owners,
  environments,
  searchRef,
  onSearchArrowDown,
}: FilterBarProps) {
  const set = (part: Partial<OverviewFilter>) => onChange({ ...filter, ...part });
  return (
    <search className="filter-bar" aria-label="Filter flags">
      <label className="filter filter-search">
        <span className="filter-label">Search</span>
        <input
          ref={searchRef}
          type="search"
          placeholder="Key, name, tag, owner…  ( / )"
          value={filter.search}
          onChange={(e) => set({ search: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              onSearchArrowDown();
            }
          }}
        />
      </label>
      <label className="filter">
        <span className="filter-label">Tag</span>
        <select value={filter.tag} onChange={(e) => set({ tag: e.target.value })}>
          <option value="">Any tag</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Owner</span>
        <select value={filter.owner} onChange={(e) => set({ owner: e.target.value })}>
          <option value="">Anyone</option>
          <option value={NO_OWNER}>No owner</option>
          {owners.map((owner) => (
            <option key={owner} value={owner}>
              {owner}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">State</span>
        <select value={filter.state} onChange={(e) => set({ state: e.target.value })}>
          <option value="">Any state</option>
          <option value="on">On somewhere</option>
          <option value="off">Off everywhere</option>
          <option value="temporary">Temporary flags</option>
          {environments.map((env) => (
            <optgroup key={env.key} label={env.name}>
              <option value={`on:${env.key}`}>On in {env.name}</option>
              <option value={`off:${env.key}`}>Off in {env.name}</option>
            </optgroup>
          ))}
        </select>
      </label>
    </search>
  );
}
