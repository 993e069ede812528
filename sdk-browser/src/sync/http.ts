/**
 * @module One authenticated request to the Switchyard server with `ETag` revalidation.
 */

export interface Fetched {
  status: number;
  etag?: string;
  body?: unknown;
}

const TIMEOUT_MS = 10_000;

/** GET (no body) or POST JSON; a 200 is parsed, a 304 means "unchanged". Rejects on network failure. */
export async function request(
  url: string,
  clientKey: string,
  etag?: string,
  body?: unknown,
): Promise<Fetched> {
  const headers: Record<string, string> = { Authorization: `Bearer ${clientKey}` };
  if (etag) headers["If-None-Match"] = etag;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    signal: AbortSignal.timeout?.(TIMEOUT_MS),
  });
  return {
    status: res.status,
    etag: res.headers.get("etag") ?? undefined,
    body: res.status === 200 ? await res.json() : undefined,
  };
}
