import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { humanize, NewFlagDialog, parseValue } from "./NewFlagDialog.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const created = (key: string) => ({
  status: 201,
  json: { flag: { key }, version: 1, rulesetVersions: {} },
});

describe("NewFlagDialog", () => {
  it("creates a boolean flag with the name suggested from the key", async () => {
    const api = mockApi({ "POST /api/v1/flags": created("new-checkout") });
    const onCreated = vi.fn();
    renderAt(<NewFlagDialog onClose={() => {}} onCreated={onCreated} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Key" }), "new-checkout");
    expect((screen.getByRole("textbox", { name: "Name" }) as HTMLInputElement).value).toBe("New checkout");
    await user.type(screen.getByRole("textbox", { name: "Tags" }), "checkout, payments ,");
    await user.click(screen.getByRole("button", { name: "Create flag" }));
    expect(onCreated).toHaveBeenCalledWith("new-checkout");
    expect(api.calls[0]?.body).toEqual({
      key: "new-checkout",
      name: "New checkout",
      kind: "boolean",
      tags: ["checkout", "payments"],
      owner: null,
      temporary: true,
    });
  });

  it("shows the API's field errors next to the field, down to one variation's value", async () => {
    mockApi({
      "POST /api/v1/flags": {
        status: 400,
        problem: {
          title: "Invalid request",
          detail: "Invalid body: key: Flag keys are 1–100 characters",
          errors: [
            { path: "key", message: "Flag keys are 1–100 characters" },
            { path: "variations.1.key", message: 'duplicate variation key "a"' },
          ],
        },
      },
    });
    renderAt(<NewFlagDialog onClose={() => {}} onCreated={() => {}} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Key" }), "bad key!");
    await user.selectOptions(screen.getByRole("combobox", { name: "Kind" }), "string");
    await user.click(screen.getByRole("button", { name: "Create flag" }));
    const key = screen.getByRole("textbox", { name: "Key" });
    await screen.findByText("Flag keys are 1–100 characters");
    expect(key.getAttribute("aria-invalid")).toBe("true");
    expect(key.getAttribute("aria-describedby")).toContain(document.querySelector(".field-error")?.id);
    const second = screen.getByRole("textbox", { name: "Variation 2 key" });
    expect(second.getAttribute("aria-invalid")).toBe("true");
    // Every error found its field: no banner repeating them.
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("checks number and JSON values before sending", async () => {
    const api = mockApi({ "POST /api/v1/flags": created("limit") });
    renderAt(<NewFlagDialog onClose={() => {}} onCreated={() => {}} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Key" }), "limit");
    await user.selectOptions(screen.getByRole("combobox", { name: "Kind" }), "number");
    const value = screen.getByRole("textbox", { name: "Variation 1 value" });
    await user.clear(value);
    await user.type(value, "ten");
    await user.click(screen.getByRole("button", { name: "Create flag" }));
    expect(within(value.closest(".field") as HTMLElement).getByText("must be a number")).toBeTruthy();
    expect(api.calls).toHaveLength(0);
    await user.clear(value);
    await user.type(value, "10");
    await user.click(screen.getByRole("button", { name: "Create flag" }));
    expect(api.calls[0]?.body).toMatchObject({
      kind: "number",
      variations: [
        { key: "low", value: 10 },
        { key: "high", value: 100 },
      ],
    });
  });
});

describe("parseValue and humanize", () => {
  it("parses per kind", () => {
    expect(parseValue("string", " a ")).toEqual({ value: " a " });
    expect(parseValue("number", "2.5")).toEqual({ value: 2.5 });
    expect(parseValue("number", "")).toEqual({ error: "must be a number" });
    expect(parseValue("json", '{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parseValue("json", "{")).toEqual({ error: "must be valid JSON" });
  });

  it("suggests a name from a key", () => {
    expect(humanize("new-checkout")).toBe("New checkout");
    expect(humanize("search.ranking_v2")).toBe("Search ranking v2");
    expect(humanize("")).toBe("");
  });
});
