import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client.js";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { FrozenNotice } from "./FrozenNotice.js";
import { FREEZE_OVERRIDE_HEADER, overrideHeaders } from "./override.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const frozen = new ApiError({
  type: "https://switchyard.dev/problems/frozen",
  title: "Environment frozen",
  status: 423,
  detail: "production is frozen until 2026-11-28T00:00:00.000Z (Black Friday). Kills still work.",
});
const me = (role: string) => ({
  "GET /api/v1/auth/me": { json: { type: "user", id: "1", name: "ana", role } },
});

describe("FrozenNotice", () => {
  it("shows the server's message and lets an admin retry with a reason", async () => {
    mockApi(me("admin"));
    const onOverride = vi.fn();
    renderAt(<FrozenNotice error={frozen} onOverride={onOverride} />);
    expect(screen.getByRole("alert").textContent).toContain("(Black Friday). Kills still work.");
    await userEvent.type(await screen.findByRole("textbox", { name: "Override reason" }), "INC-7 hotfix");
    await userEvent.click(screen.getByRole("button", { name: "Override the freeze" }));
    expect(onOverride).toHaveBeenCalledWith("INC-7 hotfix");
  });

  it("offers editors no override", async () => {
    const api = mockApi(me("editor"));
    renderAt(<FrozenNotice error={frozen} onOverride={() => {}} />);
    await vi.waitFor(() => expect(api.calls.some((c) => c.path === "/api/v1/auth/me")).toBe(true));
    expect(screen.getByRole("alert").textContent).toContain("Black Friday");
    expect(screen.queryByRole("textbox", { name: "Override reason" })).toBeNull();
  });

  it("shows nothing for errors other than a freeze", () => {
    mockApi(me("admin"));
    renderAt(<FrozenNotice error={new ApiError({ ...frozen.problem, status: 409 })} onOverride={() => {}} />);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("puts the reason in the header the server reads, and sends no header without one", () => {
    expect(overrideHeaders(" INC-7 ")).toEqual({ [FREEZE_OVERRIDE_HEADER]: "INC-7" });
    expect(FREEZE_OVERRIDE_HEADER.toLowerCase()).toBe("x-switchyard-freeze-override");
    expect(overrideHeaders("  ")).toBeUndefined();
  });
});
