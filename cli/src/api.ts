/**
 * @module The admin API over fetch, with the admin token; failures become ApiError with the problem's words.
 * A freeze override reason goes with every write as `X-Switchyard-Freeze-Override` (the server honours it
 * for admins only and records it in the audit entry).
 */

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(
      [
        `${problem.status} ${problem.title}`,
        problem.detail,
        ...(problem.errors ?? []).map((e) => `  ${e.path || "(body)"}: ${e.message}`),
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
}

export interface Api {
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  freezeOverride?: string;
}

export const FREEZE_OVERRIDE_HEADER = "x-switchyard-freeze-override";

export function createApi(url: string, token: string, options: ApiOptions = {}): Api {
  const base = `${url.replace(/\/+$/, "")}/api/v1`;
  const fetchImpl = options.fetch ?? fetch;
  return {
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const override: Record<string, string> =
        options.freezeOverride && method !== "GET"
          ? { [FREEZE_OVERRIDE_HEADER]: options.freezeOverride }
          : {};
      const res = await fetchImpl(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...override,
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) {
        let problem: Problem = {
          status: res.status,
          title: res.statusText || "Error",
          detail: text.slice(0, 500),
        };
        try {
          problem = { ...problem, ...JSON.parse(text) };
        } catch {
          // Not problem+json: keep the text.
        }
        throw new ApiError(problem);
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
