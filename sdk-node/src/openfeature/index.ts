/**
 * @module @switchyard/sdk-node/openfeature — the OpenFeature server provider.
 */
export { SwitchyardProvider, type SwitchyardProviderOptions } from "./provider.js";
