/** @module The HTML of `/api/docs`: fetches `/api/openapi.json` and lists operations with their schemas. */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Switchyard API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#1d2330;color:#fff;padding:16px 32px}header h1{margin:0;font-size:20px}
main{max-width:1000px;margin:0 auto;padding:24px 32px}
h2{border-bottom:1px solid #dde;padding-bottom:4px;margin-top:32px}
details{background:#fff;border:1px solid #dde;border-radius:6px;margin:8px 0}
summary{cursor:pointer;padding:8px 12px;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:64px;font-weight:700;text-transform:uppercase}
.get{color:#1769aa}.post{color:#237a3b}.put{color:#a86200}.patch{color:#6c3fb5}.delete{color:#b3261e}
.body{padding:0 16px 12px}pre{background:#f2f4f7;padding:8px;overflow:auto;font-size:13px;border-radius:4px}
.s{color:#555}
</style></head><body>
<header><h1>Switchyard API reference</h1><div class="s">Generated from <a style="color:#9cf" href="/api/openapi.json">/api/openapi.json</a></div></header>
<main id="root">Loading…</main>
<script>
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
fetch("/api/openapi.json").then((r) => r.json()).then((spec) => {
  const root = document.getElementById("root");
  const resolve = (s) => { const seen = new Set(); const walk = (x) => { if (!x || typeof x !== "object") return x;
    if (x.$ref) { const name = x.$ref.split("/").pop(); if (seen.has(name)) return { $ref: name }; seen.add(name);
      const r = walk(spec.components?.schemas?.[name]); seen.delete(name); return r; }
    if (Array.isArray(x)) return x.map(walk); const o = {}; for (const k in x) o[k] = walk(x[k]); return o; }; return walk(s); };
  const byTag = {};
  for (const [path, ops] of Object.entries(spec.paths || {})) for (const [method, op] of Object.entries(ops)) {
    const tag = (op.tags && op.tags[0]) || "Other"; (byTag[tag] ||= []).push({ path, method, op }); }
  let html = "<p>" + esc(spec.info?.description) + "</p>";
  for (const [tag, list] of Object.entries(byTag)) {
    html += "<h2>" + esc(tag) + "</h2>";
    for (const { path, method, op } of list) {
      html += '<details><summary><span class="m ' + method + '">' + method + "</span> " + esc(path) +
        ' <span class="s">— ' + esc(op.summary) + "</span></summary><div class=body>";
      const params = (op.parameters || []).map((p) => esc(p.in + " " + p.name + (p.required ? " (required)" : ""))).join("<br>");
      if (params) html += "<h4>Parameters</h4>" + params;
      const content = op.requestBody?.content || {};
      for (const [type, c] of Object.entries(content))
        html += "<h4>Body (" + esc(type) + ")</h4><pre>" + esc(JSON.stringify(resolve(c.schema), null, 2)) + "</pre>";
      html += "<h4>Responses</h4>";
      for (const [code, r] of Object.entries(op.responses || {})) html += "<div><b>" + esc(code) + "</b> " + esc(r.description) + "</div>";
      html += "</div></details>";
    }
  }
  root.innerHTML = html;
}).catch((e) => { document.getElementById("root").textContent = "Could not load the OpenAPI document: " + e; });
</script></body></html>`;
