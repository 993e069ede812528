/**
 * @module @switchyard/core — the pure evaluator shared by the server and both SDKs: ruleset + context in,
 * decision out. No I/O, no clock, no dependencies.
 */

export { toBrowserFlag, toBrowserRuleset, toBrowserSegment } from "./browser.js";
export { bucketFor, hashKey, murmur3 } from "./bucket.js";
export {
  type CompiledRuleset,
  type CompileResult,
  compileRuleset,
  compileTrustedRuleset,
  MAX_DEPTH,
} from "./compile.js";
export { applyDelta } from "./delta.js";
export { evaluate, evaluateAll, evaluateFlag } from "./evaluate.js";
export { type GraphShape, graphShape } from "./graph.js";
export * from "./model.js";
export type * from "./protocol.js";
export {
  ACK_PATH,
  CLIENT_RULESET_PATH,
  HEARTBEAT_MS,
  INSTANCE_HEADER,
  METRICS_PATH,
  SDK_HEADER,
  SDK_PATHS,
  SHADOW_LATENCY_BUCKETS_MS,
  STREAM_PATH,
} from "./protocol.js";
export { shouldShadow } from "./shadow.js";
export { type ValidationResult, validateRuleset } from "./validate.js";
