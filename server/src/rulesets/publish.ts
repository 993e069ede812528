/**
 * @module A ruleset as served: serialised, gzipped and tagged once per version and audience, lazily on the
 * first request that needs it, so a change costs nothing until someone asks and then costs once.
 */
import { gzipSync } from "node:zlib";
import { type CompiledRuleset, compileRuleset, type Ruleset } from "@switchyard/core";
import type { PublishedRuleset } from "../deps.js";

export type Audience = "server" | "client";

export function publish(ruleset: Ruleset, audience: Audience): PublishedRuleset {
  let json: string | undefined;
  let gzip: Uint8Array | undefined;
  let bytes: Uint8Array | undefined;
  let compiled: CompiledRuleset | undefined;
  return {
    environment: ruleset.environment,
    version: ruleset.version,
    ruleset,
    etag: `"${audience === "server" ? "s" : "c"}-${ruleset.environment}-${ruleset.version}"`,
    get json() {
      json ??= JSON.stringify(ruleset);
      return json;
    },
    get bytes() {
      bytes ??= new TextEncoder().encode(this.json);
      return bytes;
    },
    get gzip() {
      gzip ??= gzipSync(this.bytes, { level: 6 });
      return gzip;
    },
    get compiled() {
      if (!compiled) {
        const result = compileRuleset(ruleset);
        // The state routes refuse anything the evaluator would refuse, so this is a broken invariant.
        if (!result.ok)
          throw new Error(
            `ruleset ${ruleset.environment}@${ruleset.version} does not compile: ${result.errors[0]}`,
          );
        compiled = result.ruleset;
      }
      return compiled;
    },
  };
}
