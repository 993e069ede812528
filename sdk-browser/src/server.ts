/**
 * @module `@switchyard/sdk-browser/server` — server-evaluated mode: no rules in the page; the values for the
 * context come from the server (OFREP bulk evaluation, with ETag) and are cached.
 *
 * @example
 * import { createBrowserClient } from "@switchyard/sdk-browser";
 * import { serverEvaluation } from "@switchyard/sdk-browser/server";
 * const flags = createBrowserClient({ url, clientKey, context, mode: serverEvaluation });
 */
export { createServerSource as serverEvaluation } from "./client/server-source.js";
