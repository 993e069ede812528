/** @module Whether a flag's guards have tripped in an environment: what schedules and promotions pause on. */
export { guardsTripped } from "./store.js";
