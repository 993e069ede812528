/**
 * @module The `matches` operator's guard as the evaluator imports it. Browsers get safe-regexp.browser.ts
 * instead (core's package.json `browser` map): they trust the bound the server computed with this guard.
 */
export * from "./regexp-guard.js";
