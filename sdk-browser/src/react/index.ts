/**
 * @module @switchyard/sdk-browser/react — `<SwitchyardProvider>`, `useFlag`, `useFlagDetail`.
 * Nothing here touches `window` at import, so it is safe in server rendering.
 */
export { SwitchyardProvider, useSwitchyardClient } from "./provider.js";
export { useFlag, useFlagDetail } from "./use-flag.js";
