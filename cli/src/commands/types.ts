/** @module `types`: the generated TypeScript module of an environment's flags. */
import { writeFile } from "node:fs/promises";
import { EXIT, need } from "../exit.js";
import { readEnvironment } from "../flags-document.js";
import { generateTypes } from "../types.js";
import type { Command } from "./command.js";

export async function types({ api, io, options }: Command): Promise<number> {
  const env = need(options.env, "--env");
  const doc = await readEnvironment(api, env);
  const text = generateTypes(env, doc.flags);
  if (options.out) await writeFile(options.out, text);
  else io.out(text);
  return EXIT.ok;
}
