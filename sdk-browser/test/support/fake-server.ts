/** A scripted `fetch` answering the SDK endpoints from in-memory state, recording every request. */
import { vi } from "vitest";

export interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export function fakeFetch(answer: (req: Recorded) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  const fn = vi.fn(async (input: string | URL, init: RequestInit = {}) => {
    const req: Recorded = {
      url: String(input),
      method: init.method ?? "GET",
      headers: Object.fromEntries(
        Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      body: typeof init.body === "string" ? init.body : undefined,
    };
    requests.push(req);
    return answer(req);
  });
  vi.stubGlobal("fetch", fn);
  return { requests, fn };
}

export const json = (body: unknown, etag?: string) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", ...(etag ? { etag } : {}) },
  });

/** Let queued promise callbacks run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
