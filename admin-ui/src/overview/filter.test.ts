import { describe, expect, it } from "vitest";
import type { FlagSummary } from "../api/types.js";
import {
  EMPTY_FILTER,
  filterChoices,
  filterFlags,
  filterFromSearch,
  filterToSearch,
  NO_OWNER,
} from "./filter.js";

const flag = (key: string, fields: Partial<FlagSummary> = {}): FlagSummary => ({
  key,
  name: key,
  description: "",
  kind: "boolean",
  variations: [],
  tags: [],
  owner: null,
  temporary: false,
  clientVisible: false,
  archived: false,
  archivedAt: null,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  states: { staging: { on: false, version: 1 }, production: { on: false, version: 1 } },
  ...fields,
});

const flags = [
  flag("new-checkout", {
    name: "New checkout",
    tags: ["checkout", "payments"],
    owner: "payments-team",
    temporary: true,
    states: { staging: { on: true, version: 2 }, production: { on: false, version: 1 } },
  }),
  flag("search-ranking", { description: "Neural ranking", tags: ["search"], owner: "search-team" }),
  flag("dark-mode", {
    tags: ["ui"],
    states: { staging: { on: true, version: 2 }, production: { on: true, version: 3 } },
  }),
];
const keys = (filter: Partial<typeof EMPTY_FILTER>) =>
  filterFlags(flags, { ...EMPTY_FILTER, ...filter }).map((f) => f.key);

describe("filterFlags", () => {
  it("keeps everything with no filter", () => {
    expect(keys({})).toEqual(["new-checkout", "search-ranking", "dark-mode"]);
  });

  it("searches key, name, description, tags and owner, every word, any case", () => {
    expect(keys({ search: "CHECKOUT" })).toEqual(["new-checkout"]);
    expect(keys({ search: "neural" })).toEqual(["search-ranking"]);
    expect(keys({ search: "payments new" })).toEqual(["new-checkout"]);
    expect(keys({ search: "search-team" })).toEqual(["search-ranking"]);
    expect(keys({ search: "nothing-like-this" })).toEqual([]);
  });

  it("filters by tag and owner, including flags without an owner", () => {
    expect(keys({ tag: "ui" })).toEqual(["dark-mode"]);
    expect(keys({ owner: "payments-team" })).toEqual(["new-checkout"]);
    expect(keys({ owner: NO_OWNER })).toEqual(["dark-mode"]);
  });

  it("filters by state, overall or in one environment", () => {
    expect(keys({ state: "on" })).toEqual(["new-checkout", "dark-mode"]);
    expect(keys({ state: "off" })).toEqual(["search-ranking"]);
    expect(keys({ state: "on:production" })).toEqual(["dark-mode"]);
    expect(keys({ state: "off:production" })).toEqual(["new-checkout", "search-ranking"]);
    expect(keys({ state: "temporary" })).toEqual(["new-checkout"]);
  });

  it("combines filters", () => {
    expect(keys({ state: "on:staging", tag: "checkout" })).toEqual(["new-checkout"]);
  });
});

describe("filterChoices", () => {
  it("lists distinct tags and owners, sorted", () => {
    expect(filterChoices(flags)).toEqual({
      tags: ["checkout", "payments", "search", "ui"],
      owners: ["payments-team", "search-team"],
    });
  });
});

describe("filters in the URL", () => {
  it("round-trips and leaves empty parts out", () => {
    const filter = { search: "new checkout", tag: "ui", owner: "", state: "on:staging" };
    const search = filterToSearch(filter);
    expect(search).toBe("q=new+checkout&tag=ui&state=on%3Astaging");
    expect(filterFromSearch(search)).toEqual(filter);
    expect(filterToSearch(EMPTY_FILTER)).toBe("");
  });
});
