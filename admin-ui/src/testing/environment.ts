/** @module An environment as `GET /api/v1/environments` lists it, for tests. */
import type { Environment } from "../api/types.js";

export const testEnvironment = (
  key: string,
  sortOrder: number,
  over: Partial<Environment> = {},
): Environment => ({
  key,
  name: key,
  sortOrder,
  color: null,
  corsOrigins: [],
  requiresApproval: false,
  rulesetVersion: 1,
  version: 1,
  createdAt: "",
  ...over,
});
