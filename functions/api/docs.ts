import { Hono } from "hono";

/**
 * A self-contained API reference (no CDN): it reads /api/openapi.json and lists every operation with
 * its parameters, body and answers.
 */
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relais API reference</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{background:#1e293b;color:#fff;padding:16px 32px}main{max-width:1100px;margin:0 auto;padding:16px 32px}
h2{margin:32px 0 8px;font-size:18px}.op{background:#fff;border:1px solid #e2e8f0;border-radius:8px;margin:8px 0}
summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:center}
.m{font:600 12px ui-monospace,monospace;padding:2px 8px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.get{background:#2563eb}.post{background:#16a34a}.patch{background:#d97706}.delete{background:#dc2626}.put{background:#7c3aed}
code,pre{font:12px ui-monospace,monospace}pre{background:#f1f5f9;padding:10px;border-radius:6px;overflow:auto;margin:6px 14px}
.body{padding:0 0 10px}.s{color:#64748b}h4{margin:8px 14px 0;font-size:13px}
</style></head><body><header><strong>Relais API</strong> <span id="v"></span> · <a style="color:#93c5fd" href="/api/openapi.json">openapi.json</a></header>
<main id="root">Loading…</main>
<script>
const esc = (t) => String(t).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
fetch("/api/openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("v").textContent = doc.info.version;
  const schemas = (doc.components && doc.components.schemas) || {};
  const show = (s) => { if (!s) return ""; const name = s.$ref && s.$ref.split("/").pop(); return esc(JSON.stringify(name ? schemas[name] : s, null, 2)); };
  const groups = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const tag = (op.tags && op.tags[0]) || "Other"; (groups[tag] = groups[tag] || []).push({ path, method, op });
  }
  document.getElementById("root").innerHTML = Object.entries(groups).map(([tag, ops]) => "<h2>" + esc(tag) + "</h2>" + ops.map(({ path, method, op }) => {
    const params = (op.parameters || []).map((p) => "<code>" + esc(p.in + " " + p.name) + "</code>").join(" ");
    const body = op.requestBody && op.requestBody.content["application/json"];
    const answers = Object.entries(op.responses || {}).map(([code, r]) => "<div style='margin:0 14px'><code>" + esc(code) + "</code> <span class='s'>" + esc(r.description || "") + "</span></div>").join("");
    return "<details class='op'><summary><span class='m " + method + "'>" + method.toUpperCase() + "</span><code>" + esc(path) + "</code><span class='s'>" + esc(op.summary || "") + "</span></summary><div class='body'>" +
      (params ? "<h4>Parameters</h4><div style='margin:0 14px'>" + params + "</div>" : "") +
      (body ? "<h4>Body</h4><pre>" + show(body.schema) + "</pre>" : "") + "<h4>Answers</h4>" + answers + "</div></details>";
  }).join("")).join("");
});
</script></body></html>`;

export const docs = new Hono().get("/", (c) => c.html(page));
