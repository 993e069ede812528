/**
 * @module One authenticated request to the Switchyard server with `ETag` revalidation.
 */

export interface Fetched {
  status: number;
  etag?: string;
  body?: unknown;
}

const TIMEOUT_MS = 10_000;

/**
 * A GET (local mode) unless `init` says otherwise (server mode POSTs the context); a 200 is parsed, a 304 means
 * "unchanged". Rejects on network failure.
 */
export async function request(
  url: string,
  clientKey: string,
  etag?: string,
  init?: RequestInit,
): Promise<Fetched> {
  const headers: Record<string, string> = {
    ...(init?.headers as object),
    Authorization: `Bearer ${clientKey}`,
  };
  if (etag) headers["If-None-Match"] = etag;
  const res = await fetch(url, {
    ...init,
    headers,
    cache: "no-store",
    signal: AbortSignal.timeout?.(TIMEOUT_MS),
  });
  return {
    status: res.status,
    etag: res.headers.get("etag") ?? undefined,
    body: res.status === 200 ? await res.json() : undefined,
  };
}
