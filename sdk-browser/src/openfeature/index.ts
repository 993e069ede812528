/**
 * @module @switchyard/sdk-browser/openfeature — the OpenFeature web provider.
 */
export { SwitchyardWebProvider } from "./web-provider.js";
