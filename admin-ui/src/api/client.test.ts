import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, mockApi, problemResponse } from "../testing/mock-api.js";
import { ApiError, api, apiIfChanged, apiUrl, errorMessage } from "./client.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("api", () => {
  it("prefixes /api/v1, sends JSON with the session cookie, and parses the answer", async () => {
    const mock = mockApi({ "POST /api/v1/flags": { status: 201, json: { flag: { key: "x" } } } });
    const result = await api<{ flag: { key: string } }>("/flags", { method: "POST", body: { key: "x" } });
    expect(result.flag.key).toBe("x");
    const [input, init] = mock.fetch.mock.calls[0] ?? [];
    expect(input).toBe("/api/v1/flags");
    expect(init?.credentials).toBe("same-origin");
    expect(mock.calls[0]?.headers.get("content-type")).toBe("application/json");
    expect(mock.calls[0]?.body).toEqual({ key: "x" });
  });

  it("sends the base version as If-Match, and * to overwrite", async () => {
    const mock = mockApi({ "PATCH /api/v1/flags/x": { json: {} } });
    await api("/flags/x", { method: "PATCH", body: { name: "X" }, version: 3 });
    await api("/flags/x", { method: "PATCH", body: { name: "X" }, version: "any" });
    expect(mock.calls.map((c) => c.headers.get("if-match"))).toEqual(['"3"', "*"]);
  });

  it("builds query strings without undefined values", () => {
    expect(apiUrl("/flags", { tag: "ui", q: undefined, archived: false })).toBe(
      "/api/v1/flags?tag=ui&archived=false",
    );
    expect(apiUrl("/api/v1/audit")).toBe("/api/v1/audit");
  });

  it("returns undefined for 204", async () => {
    mockApi({ "POST /api/v1/auth/logout": () => new Response(null, { status: 204 }) });
    await expect(api("/auth/logout", { method: "POST" })).resolves.toBeUndefined();
  });
});

describe("apiIfChanged", () => {
  it("sends the ETag held and says 'unchanged' on a 304, or gives the new answer and its ETag", async () => {
    const mock = mockApi({
      "GET /api/v1/overview": (call) =>
        call.headers.get("if-none-match") === 'W/"v1"'
          ? new Response(null, { status: 304 })
          : new Response('{"flags":[]}', { headers: { etag: 'W/"v2"', "content-type": "application/json" } }),
    });
    await expect(apiIfChanged("/overview", 'W/"v1"')).resolves.toBeUndefined();
    await expect(apiIfChanged("/overview", 'W/"v0"')).resolves.toEqual({
      data: { flags: [] },
      etag: 'W/"v2"',
    });
    await apiIfChanged("/overview", null);
    expect(mock.calls.map((c) => c.headers.get("if-none-match"))).toEqual(['W/"v1"', 'W/"v0"', null]);
    // The browser's cache must not answer for the server (it would turn the 304 back into a 200).
    expect(mock.fetch.mock.calls[0]?.[1]?.cache).toBe("no-store");
  });

  it("throws the server's problem like api()", async () => {
    mockApi({ "GET /api/v1/overview": { status: 403, problem: { title: "Forbidden", detail: "no" } } });
    const error = await apiIfChanged("/overview", undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
  });
});

describe("ApiError", () => {
  it("carries a validation problem's fields so a form can show each next to its input", async () => {
    mockApi({
      "POST /api/v1/flags": () =>
        problemResponse({
          type: "https://switchyard.dev/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "Invalid body: key: Flag keys are 1–100 characters (and 1 more)",
          errors: [
            { path: "key", message: "Flag keys are 1–100 characters" },
            { path: "variations.1.value", message: "a value is required" },
          ],
        }),
    });
    const error = await api("/flags", { method: "POST", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const problem = error as ApiError;
    expect(problem.status).toBe(400);
    expect(problem.title).toBe("Invalid request");
    expect(problem.fieldError("key")).toBe("Flag keys are 1–100 characters");
    expect(problem.fieldError("variations")).toBe("a value is required");
    expect(problem.fieldError("name")).toBeUndefined();
    expect(problem.otherErrors(["key"])).toEqual([
      { path: "variations.1.value", message: "a value is required" },
    ]);
    expect(errorMessage(problem)).toContain("Invalid body");
  });

  it("exposes the current state on a version conflict", async () => {
    const current = { flag: "x", environment: "production", on: true, version: 5 };
    mockApi({
      "PATCH /api/v1/environments/production/flags/x": () =>
        problemResponse({
          title: "Conflict",
          status: 409,
          detail: "This was changed since version 4",
          current,
        }),
    });
    const error = (await api("/environments/production/flags/x", {
      method: "PATCH",
      body: {},
      version: 4,
    }).catch((e: unknown) => e)) as ApiError;
    expect(error.isConflict).toBe(true);
    expect(error.current<typeof current>()).toEqual(current);
  });

  it("treats a missing version (428) as a conflict too", async () => {
    mockApi({
      "PUT /api/v1/x": {
        status: 428,
        problem: { title: "Precondition required", detail: "Send the version" },
      },
    });
    const error = (await api("/x", { method: "PUT", body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.isConflict).toBe(true);
    expect(error.status).toBe(428);
  });

  it("makes sense of answers that are not problem+json", async () => {
    mockApi({
      "GET /api/v1/flags": () =>
        new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    });
    const error = (await api("/flags").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.title).toBe("Bad Gateway");
    expect(error.detail).toMatch(/try again/);
    expect(error.errors).toEqual([]);
  });

  it("ignores malformed field errors", async () => {
    mockApi({
      "GET /api/v1/flags": () =>
        jsonResponse(
          { title: "Odd", status: 400, detail: "odd", errors: [{ nope: 1 }, { path: "a", message: "b" }] },
          400,
        ),
    });
    const error = (await api("/flags").catch((e: unknown) => e)) as ApiError;
    expect(error.errors).toEqual([{ path: "a", message: "b" }]);
  });

  it("reports an unreachable server as status 0", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const error = (await api("/flags").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.title).toBe("Network error");
    expect(error.detail).toContain("Failed to fetch");
  });
});
