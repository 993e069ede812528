/**
 * @module The one way the admin UI talks to the server: `api<T>(path, init)` over `fetch` with the session
 * cookie, JSON bodies, `If-Match` versions, and failures as {@link ApiError} carrying the server's
 * `application/problem+json` details (RFC 9457), so a form can show each message next to its field.
 */

/** Admin API paths are relative to this prefix: `api("/flags")` fetches `/api/v1/flags`. */
export const API_BASE = "/api/v1";

/** One invalid field, as the server reports it: `path` is dotted (`rules.0.clauses.1.op`), `""` for the body. */
export interface FieldError {
  path: string;
  message: string;
}

/** An `application/problem+json` body (server/src/problem/respond.ts). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** On a 409/428: the resource as it is now, so the UI can show the other person's change. */
  current?: unknown;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly errors: FieldError[];
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.problem = problem;
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = problem.errors ?? [];
  }

  /** The edit was based on a stale version (409) or named none (428): {@link current} is the fresh state. */
  get isConflict(): boolean {
    return this.status === 409 || this.status === 428;
  }

  /** What the server says the resource is now (on a conflict), typed by the caller. */
  current<T>(): T | undefined {
    return this.problem.current as T | undefined;
  }

  /**
   * The message for a field: an exact match, or the first error under it (`rules` finds `rules.0.serve`).
   * `""` finds errors about the body as a whole.
   */
  fieldError(path: string): string | undefined {
    const exact = this.errors.find((e) => e.path === path);
    if (exact) return exact.message;
    if (path === "") return undefined;
    return this.errors.find((e) => e.path.startsWith(`${path}.`))?.message;
  }

  /** The messages of every error whose path is not in `known`: show these at the top of the form. */
  otherErrors(known: readonly string[]): FieldError[] {
    return this.errors.filter((e) => !known.some((k) => e.path === k || e.path.startsWith(`${k}.`)));
  }
}

/** A version to send as `If-Match`: the version an edit was based on, or `"any"` to overwrite (`*`). */
export type BaseVersion = number | "any";

export interface ApiInit extends Omit<RequestInit, "body"> {
  /** Sent as JSON (unless it is a string, `FormData`, `Blob` or `URLSearchParams`, which go as they are). */
  body?: unknown;
  /** The version this edit was based on, sent as `If-Match: "<n>"`. */
  version?: BaseVersion;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
}

export function apiUrl(path: string, query?: ApiInit["query"]): string {
  const url = path.startsWith("/api/") ? path : `${API_BASE}${path.startsWith("/") ? "" : "/"}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

const passThrough = (body: unknown) =>
  typeof body === "string" ||
  (typeof FormData !== "undefined" && body instanceof FormData) ||
  (typeof Blob !== "undefined" && body instanceof Blob) ||
  body instanceof URLSearchParams;

/**
 * Calls the admin API and returns the parsed JSON (`undefined` for 204). Throws {@link ApiError} for any
 * non-2xx answer, and for network failures (status 0).
 *
 * @example
 * const { flags } = await api<{ flags: FlagSummary[] }>("/flags", { query: { tag: "checkout" } });
 * await api(`/environments/prod/flags/${key}`, { method: "PATCH", body: { on: true }, version: 4 });
 */
export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  const response = await send(path, init);
  if (!response.ok) throw await errorFrom(response);
  return parseBody<T>(response);
}

/**
 * A GET that sends the ETag of what the caller holds: `undefined` when the server answers 304 (what is
 * held is current), else the new answer with its ETag. Failures throw {@link ApiError} as `api` does.
 *
 * @example
 * const fresh = await apiIfChanged<Overview>("/overview", held?.etag);
 * return fresh ? fresh.data : held;
 */
export async function apiIfChanged<T>(
  path: string,
  etag: string | null | undefined,
): Promise<{ data: T; etag: string | null } | undefined> {
  const headers = etag ? { "if-none-match": etag } : undefined;
  // no-store: the answer is cached by the caller; the browser's cache would turn 304s back into 200s.
  const response = await send(path, { headers, cache: "no-store" });
  if (response.status === 304) return undefined;
  if (!response.ok) throw await errorFrom(response);
  return { data: await parseBody<T>(response), etag: response.headers.get("etag") };
}

async function send(path: string, init: ApiInit): Promise<Response> {
  const { body, version, query, headers: given, ...rest } = init;
  const headers = new Headers(given);
  if (!headers.has("accept")) headers.set("accept", "application/json, application/problem+json");
  let sent: BodyInit | undefined;
  if (body !== undefined) {
    if (passThrough(body)) sent = body as BodyInit;
    else {
      sent = JSON.stringify(body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
  }
  if (version !== undefined) headers.set("if-match", version === "any" ? "*" : `"${version}"`);
  try {
    return await fetch(apiUrl(path, query), { ...rest, headers, body: sent, credentials: "same-origin" });
  } catch (error) {
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: `The server could not be reached (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204 || response.headers.get("content-length") === "0") return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Reads a failed response into an {@link ApiError}: the problem body if there is one, else a generic one. */
export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const fallbackTitle = response.statusText || `HTTP ${response.status}`;
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const p = parsed as Partial<Problem>;
    return new ApiError({
      ...p,
      type: typeof p.type === "string" ? p.type : "about:blank",
      title: typeof p.title === "string" ? p.title : fallbackTitle,
      status: typeof p.status === "number" ? p.status : response.status,
      detail: typeof p.detail === "string" ? p.detail : typeof p.title === "string" ? p.title : fallbackTitle,
      errors: Array.isArray(p.errors) ? p.errors.filter(isFieldError) : [],
    });
  }
  return new ApiError({
    type: "about:blank",
    title: fallbackTitle,
    status: response.status,
    detail:
      response.status >= 500
        ? "The server had a problem; try again in a moment."
        : text.slice(0, 300) || fallbackTitle,
  });
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as FieldError).path === "string" &&
    typeof (value as FieldError).message === "string"
  );
}

/** A human message for anything thrown: the problem's detail for an {@link ApiError}. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title;
  if (error instanceof Error) return error.message;
  return String(error);
}
