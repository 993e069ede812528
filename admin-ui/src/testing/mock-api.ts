/**
 * @module A fake admin API for component tests: `fetch` answered from a table of
 * `"METHOD /api/v1/path"` → JSON body, problem, or handler. Unlisted requests answer 404 problems, so a
 * test sees every call it did not plan for.
 */
import { vi } from "vitest";
import type { Problem } from "../api/client.js";

export interface RecordedCall {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

export type MockAnswer =
  | { status?: number; json: unknown }
  | { status: number; problem: Partial<Problem> }
  | ((call: RecordedCall) => Response | Promise<Response>);

/** JSON bodies as values; anything else (a text/plain key upload) as its text. */
const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const jsonResponse = (body: unknown, status = 200, type = "application/json") =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": type },
  });

export const problemResponse = (problem: Partial<Problem> & { status: number }) =>
  jsonResponse(
    { type: "about:blank", title: "Error", detail: "", ...problem },
    problem.status,
    "application/problem+json",
  );

/**
 * Replaces the global `fetch`. Routes may be changed later through the returned `routes` object (e.g. to
 * simulate another person's change between polls). Restore with `vi.unstubAllGlobals()`.
 */
export function mockApi(initial: Record<string, MockAnswer>) {
  const routes: Record<string, MockAnswer> = { ...initial };
  const calls: RecordedCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      "http://ui.test",
    );
    const method = (init.method ?? "GET").toUpperCase();
    const text = typeof init.body === "string" ? init.body : undefined;
    const call: RecordedCall = {
      method,
      path: url.pathname,
      search: url.search,
      headers: new Headers(init.headers),
      body: text ? parseBody(text) : undefined,
    };
    calls.push(call);
    const answer = routes[`${method} ${url.pathname}`];
    if (!answer)
      return problemResponse({
        status: 404,
        title: "Not found",
        detail: `No mock for ${method} ${url.pathname}`,
      });
    if (typeof answer === "function") return answer(call);
    if ("problem" in answer) return problemResponse({ ...answer.problem, status: answer.status });
    return jsonResponse(answer.json, answer.status ?? 200);
  });
  vi.stubGlobal("fetch", fetchMock);
  return { routes, calls, fetch: fetchMock };
}
