/**
 * @module The answers a flag page needs (me, environments, the flag, its state in production, segments),
 * for tests of the flag page; `routes` adds or replaces answers.
 */
import type { FlagState } from "../api/types.js";
import { type MockAnswer, mockApi } from "./mock-api.js";

export const liveState = (over: Partial<FlagState> = {}): FlagState => ({
  flag: "new-checkout",
  environment: "production",
  on: false,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
  version: 4,
  updatedAt: "2026-05-01T10:00:00Z",
  updatedBy: "cy",
  ...over,
});

export function flagPageApi(
  role: "viewer" | "editor" | "admin",
  routes: Record<string, MockAnswer> = {},
  { requiresApproval = false, name = "ada" } = {},
) {
  return mockApi({
    "GET /api/v1/auth/me": { json: { type: "user", id: "1", name, role } },
    "GET /api/v1/environments": {
      json: {
        environments: [
          {
            key: "production",
            name: "production",
            sortOrder: 1,
            color: null,
            corsOrigins: [],
            requiresApproval,
            rulesetVersion: 1,
            version: 1,
            createdAt: "",
          },
        ],
      },
    },
    "GET /api/v1/flags/new-checkout": {
      json: {
        key: "new-checkout",
        name: "new-checkout",
        description: "",
        kind: "boolean",
        variations: [
          { key: "on", value: true },
          { key: "off", value: false },
        ],
        tags: [],
        owner: null,
        temporary: false,
        clientVisible: false,
        archived: false,
        archivedAt: null,
        version: 1,
        createdAt: "",
        updatedAt: "",
      },
    },
    "GET /api/v1/environments/production/flags/new-checkout": { json: liveState() },
    "GET /api/v1/environments/production/segments": { json: { segments: [] } },
    ...routes,
  });
}
