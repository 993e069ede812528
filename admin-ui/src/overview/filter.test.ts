import { describe, expect, it } from "vitest";
import type { OverviewCell, OverviewFlag } from "../api/overview.js";
import {
  EMPTY_FILTER,
  filterChoices,
  filterFlags,
  filterFromSearch,
  filterToSearch,
  NO_OWNER,
} from "./filter.js";

const cell = (on: boolean): OverviewCell => ({
  on,
  tone: on ? "on" : "off",
  text: on ? "100% on" : "off → false",
  detail: "",
  setup: on ? "a" : "b",
});
const flag = (key: string, fields: Partial<OverviewFlag> = {}): OverviewFlag => ({
  key,
  name: key,
  description: "",
  tags: [],
  owner: null,
  temporary: false,
  cells: { staging: cell(false), production: cell(false) },
  ...fields,
});

const flags = [
  flag("new-checkout", {
    name: "New checkout",
    tags: ["checkout", "payments"],
    owner: "payments-team",
    temporary: true,
    cells: { staging: cell(true), production: cell(false) },
  }),
  flag("search-ranking", { description: "Neural ranking", tags: ["search"], owner: "search-team" }),
  flag("dark-mode", {
    tags: ["ui"],
    cells: { staging: cell(true), production: cell(true) },
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
