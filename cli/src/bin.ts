#!/usr/bin/env node
/**
 * @module The `switchyard` executable. It always runs: installed bins are reached through symlinks and
 * shims, so "am I the main module?" checks on `process.argv[1]` would silently do nothing.
 */
import { run } from "./main.js";

run(process.argv.slice(2), {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
