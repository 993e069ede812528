/**
 * @module Shadow sampling in browsers (core's package.json `browser` map swaps it in for shadow.ts): the
 * browser SDK runs no shadow code paths (shadow runs and their reports are the Node SDK's), so a page
 * compiles no shadow rule and never samples a call.
 */
import type * as Shadow from "./shadow.js";

export type { CompiledShadow } from "./shadow.js";

export const compileShadow: typeof Shadow.compileShadow = () => null;

export const shouldShadow: typeof Shadow.shouldShadow = () => false;
