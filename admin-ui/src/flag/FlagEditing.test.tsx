import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlagState, StateFields } from "../api/types.js";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { RuleEditor } from "./RuleEditor.js";
import { fieldsOf, SaveFlow } from "./SaveFlow.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const variations = [
  { key: "on", value: true },
  { key: "off", value: false },
];
const empty: StateFields = {
  on: true,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
};

function Harness({ initial, seen }: { initial: StateFields; seen: (s: StateFields) => void }) {
  const [state, setState] = useState(initial);
  return (
    <RuleEditor
      state={state}
      variations={variations}
      segments={["pilot-users", "staff"]}
      onChange={(s) => {
        setState(s);
        seen(s);
      }}
    />
  );
}

describe("the rule editor", () => {
  it("adds a rule, edits its clause and what it serves, and produces the right Rule objects", async () => {
    let last = empty;
    renderAt(<Harness initial={empty} seen={(s) => (last = s)} />);
    await userEvent.click(screen.getByRole("button", { name: "Add rule" }));
    const clause = screen.getByRole("group", { name: "Rule 1 clause 1" });
    const attribute = within(clause).getByRole("textbox", { name: "Attribute" });
    await userEvent.clear(attribute);
    await userEvent.type(attribute, "country");
    const values = within(clause).getByRole("textbox", { name: "Values" });
    await userEvent.type(values, "DE, FR");
    fireEvent.blur(values);
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Rule 1: serve" }), "on");
    expect(last.rules).toHaveLength(1);
    expect(last.rules[0]).toMatchObject({
      clauses: [{ attribute: "country", op: "in", values: ["DE", "FR"] }],
      serve: { variation: "on" },
    });
  });

  it("targets a segment, reorders rules with the buttons and removes a clause", async () => {
    let last = empty;
    const two: StateFields = {
      ...empty,
      rules: [
        {
          id: "first",
          clauses: [{ attribute: "plan", op: "in", values: ["pro"] }],
          serve: { variation: "on" },
        },
        {
          id: "second",
          clauses: [{ attribute: "plan", op: "in", values: ["free"] }],
          serve: { variation: "off" },
        },
      ],
    };
    renderAt(<Harness initial={two} seen={(s) => (last = s)} />);
    const second = screen.getByRole("group", { name: "Rule 2 clause 1" });
    await userEvent.selectOptions(within(second).getByRole("combobox", { name: "Operator" }), "segmentMatch");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Segment" }), "pilot-users");
    expect(last.rules[1]?.clauses[0]).toEqual({
      attribute: "targetingKey",
      op: "segmentMatch",
      values: ["pilot-users"],
    });

    await userEvent.click(screen.getByRole("button", { name: "Move rule 2 up" }));
    expect(last.rules.map((r) => r.id)).toEqual(["second", "first"]);

    await userEvent.click(screen.getByRole("button", { name: "Remove Rule 2 clause 1" }));
    expect(last.rules[1]?.clauses).toEqual([]);
    await userEvent.click(screen.getByRole("button", { name: "Remove rule 1" }));
    expect(last.rules.map((r) => r.id)).toEqual(["first"]);
  });

  it("writes values into the draft as they are typed, keeping the text as typed", async () => {
    let last = empty;
    renderAt(
      <Harness
        initial={{
          ...empty,
          rules: [
            {
              id: "r",
              clauses: [{ attribute: "country", op: "in", values: ["DE"] }],
              serve: { variation: "on" },
            },
          ],
        }}
        seen={(s) => (last = s)}
      />,
    );
    const values = screen.getByRole("textbox", { name: "Values" }) as HTMLInputElement;
    await userEvent.type(values, ", ");
    expect(values.value).toBe("DE, ");
    await userEvent.type(values, "FR");
    expect(last.rules[0]?.clauses[0]?.values).toEqual(["DE", "FR"]);
    expect(values.value).toBe("DE, FR");
  });

  it("splits a rule between variations with sliders that keep 100%", async () => {
    let last = empty;
    renderAt(
      <Harness
        initial={{ ...empty, rules: [{ id: "r", clauses: [], serve: { variation: "on" } }] }}
        seen={(s) => (last = s)}
      />,
    );
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Rule 1: serve" }), "__split");
    fireEvent.change(screen.getByRole("slider", { name: "Rule 1: on %" }), { target: { value: "20" } });
    expect(last.rules[0]?.serve).toEqual({
      rollout: {
        weights: [
          { variation: "on", weight: 20_000 },
          { variation: "off", weight: 80_000 },
        ],
      },
    });
  });
});

const base: FlagState = {
  ...empty,
  flag: "new-checkout",
  environment: "production",
  version: 4,
  updatedAt: "",
  updatedBy: "ana",
};
const path = "/api/v1/environments/production/flags/new-checkout";

describe("saving: the diff first, conflicts shown, never overwritten silently", () => {
  it("shows what will change, then saves with the version the edit was based on", async () => {
    const api = mockApi({
      [`PUT ${path}`]: {
        json: { state: { ...base, on: false, version: 5 }, version: 5, rulesetVersions: {} },
      },
    });
    const onSaved = vi.fn();
    renderAt(
      <SaveFlow
        env="production"
        flag="new-checkout"
        base={base}
        draft={{ ...fieldsOf(base), on: false }}
        onSaved={onSaved}
        onInvalid={() => {}}
        onReload={() => {}}
        onClose={() => {}}
      />,
    );
    const diff = screen.getByRole("table", { name: "Changes to new-checkout in production" });
    expect(within(diff).getByRole("row", { name: /on/ }).textContent).toContain("truefalse");
    await userEvent.type(screen.getByRole("textbox", { name: /Reason/ }), "launch");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const put = api.calls.find((c) => c.method === "PUT");
    expect(put?.headers.get("if-match")).toBe('"4"');
    expect(put?.body).toMatchObject({ on: false, reason: "launch" });
  });

  it("on a 409 shows the other person's change and overwrites only when asked", async () => {
    const theirs = { ...base, version: 5, updatedBy: "bo", fallthrough: { variation: "on" } };
    let puts = 0;
    const api = mockApi({
      [`PUT ${path}`]: (call) => {
        puts++;
        if (call.headers.get("if-match") === '"4"')
          return new Response(
            JSON.stringify({
              type: "about:blank",
              title: "Conflict",
              status: 409,
              detail: "changed",
              current: theirs,
            }),
            {
              status: 409,
              headers: { "content-type": "application/problem+json" },
            },
          );
        return Response.json({
          state: { ...theirs, on: false, version: 6 },
          version: 6,
          rulesetVersions: {},
        });
      },
    });
    const onSaved = vi.fn();
    const onReload = vi.fn();
    renderAt(
      <SaveFlow
        env="production"
        flag="new-checkout"
        base={base}
        draft={{ ...fieldsOf(base), on: false }}
        onSaved={onSaved}
        onInvalid={() => {}}
        onReload={onReload}
        onClose={() => {}}
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/bo saved version 5 while you were editing version 4/)).toBeTruthy();
    const their = screen.getByRole("table", { name: "Their change" });
    expect(within(their).getByRole("row", { name: /fallthrough.variation/ }).textContent).toContain("offon");
    expect(onSaved).not.toHaveBeenCalled();
    expect(puts).toBe(1);

    await userEvent.click(screen.getByRole("button", { name: "Save mine over theirs" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.calls.at(-1)?.headers.get("if-match")).toBe('"5"');
  });
});
