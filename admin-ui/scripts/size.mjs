/**
 * First-load JavaScript of the built admin UI, gzipped: the scripts index.html loads (entry and
 * modulepreloads). Screens loaded later on navigation are listed but not counted. Fails over budget.
 * Run after `pnpm --filter @switchyard/admin-ui build`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 250 * 1024;
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const html = readFileSync(join(dist, "index.html"), "utf8");
const firstLoad = new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

let total = 0;
for (const file of firstLoad) {
  const size = gz(file);
  total += size;
  console.log(`first load  ${kb(size).padStart(9)}  ${file}`);
}
for (const file of readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"))) {
  if (!firstLoad.has(`assets/${file}`))
    console.log(`on demand   ${kb(gz(`assets/${file}`)).padStart(9)}  assets/${file}`);
}
console.log(`\nFirst-load JavaScript: ${kb(total)} gzip (budget ${kb(BUDGET_BYTES)})`);
if (total > BUDGET_BYTES) {
  console.error("Over budget.");
  process.exit(1);
}
