/**
 * @module @switchyard/sdk-browser — flags evaluated in the page from the browser-safe ruleset, live-updated.
 */

export type { EvaluationContext, JsonValue, Ruleset } from "@switchyard/core";
export { createBrowserClient } from "./client/create-client.js";
export type {
  BrowserClient,
  BrowserClientOptions,
  ConnectionStatus,
  EvaluatedFlags,
  FlagDetail,
  StoredDecision,
} from "./client/types.js";
