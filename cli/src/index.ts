/** @module @switchyard/cli — the `switchyard` command, also callable in process (`run(argv, io)`). */

export { type FlagsDocument, parseDocument, serialize } from "./document.js";
export { EXIT, type Io, run } from "./main.js";
export { generateTypes } from "./types.js";
