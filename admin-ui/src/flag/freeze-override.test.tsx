/**
 * The flag page during a change freeze: the server refuses the switch and the save with 423; an admin
 * writes through with an override reason (sent in the override header, which the server audits), anyone
 * else only reads why.
 */
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FREEZE_OVERRIDE_HEADER } from "../freezes/override.js";
import { flagPageApi, liveState } from "../testing/flag-page.js";
import type { RecordedCall } from "../testing/mock-api.js";
import { jsonResponse, problemResponse } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { FlagPage } from "./FlagPage.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const statePath = "/api/v1/environments/production/flags/new-checkout";
/** The freeze notice (the page's other panels have no mocks and show their own alerts). */
const frozenNotice = async () =>
  (await screen.findByText("Environment frozen")).closest("[role=alert]") as HTMLElement;
const frozenUnlessOverridden = (call: RecordedCall) =>
  call.headers.get(FREEZE_OVERRIDE_HEADER)
    ? jsonResponse({ state: liveState({ on: true, version: 5 }), version: 5, rulesetVersions: {} })
    : problemResponse({
        status: 423,
        title: "Environment frozen",
        detail: "production is frozen until 2026-12-01T00:00:00.000Z (Black Friday).",
      });

describe("the flag page during a freeze", () => {
  it("lets an admin turn the flag on through the freeze with a reason", async () => {
    const api = flagPageApi("admin", { [`PATCH ${statePath}`]: frozenUnlessOverridden });
    renderAt(<FlagPage flagKey="new-checkout" />);
    await userEvent.click(await screen.findByRole("switch", { name: "new-checkout on in production" }));
    const notice = await frozenNotice();
    expect(notice.textContent).toContain("(Black Friday)");
    await userEvent.type(within(notice).getByLabelText("Override reason"), "INC-7 hotfix");
    await userEvent.click(within(notice).getByRole("button", { name: "Override the freeze" }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === "PATCH")).toHaveLength(2));
    const retry = api.calls.filter((c) => c.method === "PATCH")[1];
    expect(retry?.headers.get(FREEZE_OVERRIDE_HEADER)).toBe("INC-7 hotfix");
    expect(retry?.body).toEqual({ on: true });
    await waitFor(() => expect(screen.queryByText("Environment frozen")).toBeNull());
    expect(screen.getByRole("switch", { name: "new-checkout on in production" })).toHaveProperty(
      "checked",
      true,
    );
  });

  it("lets an admin save edits through the freeze from the review dialog", async () => {
    const api = flagPageApi("admin", { [`PUT ${statePath}`]: frozenUnlessOverridden });
    renderAt(<FlagPage flagKey="new-checkout" />);
    await userEvent.selectOptions(await screen.findByLabelText("When off, serve"), "on");
    await userEvent.click(screen.getByRole("button", { name: "Review and save" }));
    const dialog = screen.getByRole("dialog", { name: "Review and save" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    const notice = await within(dialog).findByRole("alert");
    expect(notice.textContent).toContain("Environment frozen");
    await userEvent.type(within(notice).getByLabelText("Override reason"), "legal notice");
    await userEvent.click(within(notice).getByRole("button", { name: "Override the freeze" }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === "PUT")).toHaveLength(2));
    const retry = api.calls.filter((c) => c.method === "PUT")[1];
    expect(retry?.headers.get(FREEZE_OVERRIDE_HEADER)).toBe("legal notice");
    expect(retry?.body).toMatchObject({ offVariation: "on" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("tells an editor why the switch was refused, with no override", async () => {
    flagPageApi("editor", { [`PATCH ${statePath}`]: frozenUnlessOverridden });
    renderAt(<FlagPage flagKey="new-checkout" />);
    await userEvent.click(await screen.findByRole("switch", { name: "new-checkout on in production" }));
    const notice = await frozenNotice();
    expect(notice.textContent).toContain("(Black Friday)");
    expect(within(notice).queryByLabelText("Override reason")).toBeNull();
  });
});
