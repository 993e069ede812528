/**
 * @module @switchyard/sdk-node — evaluate Switchyard flags in process, kept current over the server's stream.
 */

export type { Decision, ErrorCode, EvaluationContext, JsonValue, Reason, Ruleset } from "@switchyard/core";
export { readRulesetFile, writeRulesetFile } from "./cache/ruleset-file.js";
export type { ClientStatus } from "./client/client.js";
export type { ChangeEvent, ClientEventName, ClientEvents, RulesetSource } from "./client/events.js";
export type { ClientOptions, Logger } from "./client/options.js";
export { createClient, type ReadyOptions, SwitchyardClient } from "./client/switchyard-client.js";
export {
  type FetchHandler,
  type MirrorOptions,
  mirrorMiddleware,
  mirrorRequests,
  SHADOW_HEADER,
} from "./shadow/mirror.js";
export type { ShadowCall, ShadowMarker, ShadowRunnerOptions } from "./shadow/shadow.js";
export type { FlagShadowStats, MismatchSample } from "./shadow/stats.js";
export { SDK_NAME, SDK_VERSION } from "./version.js";
