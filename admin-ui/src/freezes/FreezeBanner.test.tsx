import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../testing/mock-api.js";
import { renderAt } from "../testing/render.js";
import { FreezeBanner } from "./FreezeBanner.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("FreezeBanner", () => {
  it("says which environment is frozen, why, until when and that kills still work", async () => {
    mockApi({
      "GET /api/v1/freezes": {
        json: {
          freezes: [
            {
              environment: "production",
              reason: "Black Friday",
              until: "2026-11-28T00:00:00Z",
              createdBy: "ana",
            },
          ],
        },
      },
    });
    renderAt(<FreezeBanner />);
    const banner = await screen.findByRole("status");
    expect(banner.textContent).toContain("production is frozen");
    expect(banner.textContent).toContain("Black Friday");
    expect(banner.textContent).toContain(`until ${new Date("2026-11-28T00:00:00Z").toLocaleString()}`);
    expect(banner.textContent).toContain("by ana");
    expect(banner.textContent).toContain("kills still work");
  });

  it("shows nothing when nothing is frozen", async () => {
    const api = mockApi({ "GET /api/v1/freezes": { json: { freezes: [] } } });
    const { container } = renderAt(<FreezeBanner />);
    await vi.waitFor(() => expect(api.calls).toHaveLength(1));
    expect(container.textContent).toBe("");
  });
});
