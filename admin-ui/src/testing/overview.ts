/**
 * @module Builders for `GET /api/v1/overview` answers in component tests, and a mock route that honours
 * `If-None-Match` as the server does (304 while the ETag is current).
 */
import type { OverviewAnswer, OverviewCell, ServingTone } from "../api/overview.js";
import { jsonResponse, type MockAnswer } from "./mock-api.js";

export interface TestFlag {
  key: string;
  name?: string;
  description?: string;
  tags?: string[];
  owner?: string | null;
  temporary?: boolean;
  /** By environment: a cell, or null for no state there. */
  cells?: Record<string, OverviewCell | null>;
}

/** A cell that serves `text`; `on` and the tone follow from it unless given. */
export function cell(text: string, fields: Partial<OverviewCell> = {}): OverviewCell {
  const off = text.startsWith("off");
  const tone: ServingTone = off ? "off" : text.startsWith("100%") ? "on" : "partial";
  return { on: !off, tone, text, detail: `${text}.`, setup: `setup of ${text}`, ...fields };
}

/** The answer as the server sends it: each distinct cell once, flags pointing at them. */
export function overviewAnswer(environments: string[], flags: TestFlag[]): OverviewAnswer {
  const cells: OverviewCell[] = [];
  const index = (c: OverviewCell) => {
    const found = cells.findIndex((known) => JSON.stringify(known) === JSON.stringify(c));
    return found >= 0 ? found : cells.push(c) - 1;
  };
  return {
    environments,
    cells,
    flags: flags.map((f) => ({
      key: f.key,
      name: f.name ?? f.key,
      description: f.description ?? "",
      tags: f.tags ?? [],
      owner: f.owner ?? null,
      temporary: f.temporary ?? false,
      cells: environments.map((env) => {
        const c = f.cells?.[env];
        return c ? index(c) : null;
      }),
    })),
  };
}

/** A mock `GET /api/v1/overview`: the answer with `etag`, or 304 when the request names it. */
export function overviewRoute(answer: OverviewAnswer, etag = 'W/"ov-1"'): MockAnswer {
  return (call) => {
    if (call.headers.get("if-none-match") === etag)
      return new Response(null, { status: 304, headers: { etag } });
    const response = jsonResponse(answer);
    response.headers.set("etag", etag);
    return response;
  };
}
