// The dashboard page: no CDN, no framework. Job data is only ever written with textContent.
const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;color:#1c1c1c;background:#f7f7f8}
header{padding:12px 20px;background:#1c1c2b;color:#fff;display:flex;gap:16px;align-items:center}
header h1{font-size:16px;margin:0}main{padding:16px 20px;display:grid;gap:16px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:6px 8px;border-bottom:1px solid #e4e4e7;text-align:left}
th{font-weight:600;background:#f0f0f3}tr.job{cursor:pointer}tr.job:hover{background:#f5f7ff}
nav button{margin-right:4px}button{font:inherit;padding:3px 10px;border:1px solid #bbb;border-radius:4px;background:#fff;cursor:pointer}
button.on{background:#1c1c2b;color:#fff}.bar{width:120px;height:8px;background:#e4e4e7;border-radius:4px;overflow:hidden}
.bar i{display:block;height:100%;background:#4f6bed}.failed{color:#b42318}.completed{color:#067647}.cancelled{color:#777}
pre{white-space:pre-wrap;background:#f0f0f3;padding:8px;max-height:240px;overflow:auto}#detail{background:#fff;padding:12px}
`;

const SCRIPT = `
const base = document.body.dataset.base;
const states = ["waiting","delayed","active","completed","failed","cancelled"];
let filter = "";
let selected = null;
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const when = (ms) => ms ? new Date(ms).toLocaleString() : "";
async function api(path, init) {
  const res = await fetch(base + path, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok && res.status !== 409) throw new Error(body.error ? body.error.message : res.statusText);
  return body;
}
function bar(value) { const b = el("div", undefined, "bar"); const i = el("i"); i.style.width = Math.max(0, Math.min(100, value)) + "%"; b.append(i); return b; }
function renderCounts(counts) {
  const head = $("counts-head"); head.replaceChildren(el("th", "job"), ...states.map((s) => el("th", s)));
  $("counts").replaceChildren(...Object.entries(counts).map(([name, byState]) => {
    const tr = el("tr"); tr.append(el("td", name), ...states.map((s) => el("td", byState[s] || 0, byState[s] ? s : ""))); return tr;
  }));
}
function renderJobs(jobs) {
  $("jobs").replaceChildren(...jobs.map((job) => {
    const tr = el("tr", undefined, "job"); tr.dataset.id = job.id;
    const progress = el("td"); progress.append(bar(job.progress)); progress.dataset.progress = job.id;
    tr.append(el("td", job.id.slice(0, 12)), el("td", job.name), el("td", job.state, job.state), el("td", job.attemptsMade + "/" + job.maxAttempts),
      progress, el("td", when(job.createdAt)), el("td", job.error ? job.error.message : "", "failed"));
    tr.onclick = () => showJob(job.id);
    return tr;
  }));
}
async function refresh() {
  try {
    const [{ counts, driver }, { jobs }] = await Promise.all([api("/api/counts"), api("/api/jobs?limit=100" + (filter ? "&state=" + filter : ""))]);
    $("driver").textContent = "driver: " + driver;
    renderCounts(counts); renderJobs(jobs); $("problem").textContent = "";
    if (selected) showJob(selected, true);
  } catch (e) { $("problem").textContent = e.message; }
}
async function act(id, action) {
  try { const { ok } = await api("/api/jobs/" + encodeURIComponent(id) + "/" + action, { method: "POST" }); if (!ok) $("problem").textContent = action + " had no effect in this state"; }
  catch (e) { $("problem").textContent = e.message; }
  refresh();
}
async function showJob(id, quiet) {
  selected = id;
  let job;
  try { ({ job } = await api("/api/jobs/" + encodeURIComponent(id))); } catch (e) { if (!quiet) $("problem").textContent = e.message; return; }
  const d = $("detail"); d.replaceChildren();
  d.append(el("h3", job.name + " " + job.id), el("p", "state: " + job.state + " · attempts " + job.attemptsMade + "/" + job.maxAttempts + " · progress " + job.progress + (job.progressMessage ? " (" + job.progressMessage + ")" : "")));
  const buttons = el("p");
  if (job.state === "failed" || job.state === "cancelled") { const b = el("button", "Retry"); b.onclick = () => act(job.id, "retry"); buttons.append(b); }
  if (["waiting","delayed","active"].includes(job.state)) { const b = el("button", "Cancel"); b.onclick = () => act(job.id, "cancel"); buttons.append(b); }
  d.append(buttons, el("h4", "payload"), el("pre", JSON.stringify(job.payload, null, 2)));
  if ("result" in job) d.append(el("h4", "result"), el("pre", JSON.stringify(job.result, null, 2)));
  if (job.error) d.append(el("h4", "error"), el("pre", job.error.stack || job.error.message, "failed"));
  d.append(el("h4", "log"), el("pre", (job.logs || []).join("\\n") || "(empty)"));
}
function tabs() {
  $("tabs").replaceChildren(...["", ...states].map((s) => { const b = el("button", s || "all", s === filter ? "on" : ""); b.onclick = () => { filter = s; tabs(); refresh(); }; return b; }));
}
function live() {
  const source = new EventSource(base + "/api/events");
  let pending = null;
  const soon = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 300); };
  source.addEventListener("snapshot", (e) => { const { counts, active } = JSON.parse(e.data); renderCounts(counts);
    for (const job of active) { const cell = document.querySelector('[data-progress="' + CSS.escape(job.id) + '"]'); if (cell) cell.replaceChildren(bar(job.progress)); } });
  source.addEventListener("job", (e) => { const ev = JSON.parse(e.data);
    if (ev.type === "progress") { const cell = document.querySelector('[data-progress="' + CSS.escape(ev.id) + '"]'); if (cell) cell.replaceChildren(bar(ev.progress)); }
    if (ev.type === "state") soon(); });
}
tabs(); refresh(); live();
`;

export function renderPage(base: string, nonce: string): string {
  const attr = base.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Jobs · Tandem</title><style nonce="${nonce}">${STYLE}</style></head>
<body data-base="${attr}"><header><h1>Tandem jobs</h1><span id="driver"></span><span id="problem" class="failed"></span></header>
<main><section><table><thead><tr id="counts-head"></tr></thead><tbody id="counts"></tbody></table></section>
<section><nav id="tabs"></nav><table><thead><tr><th>id</th><th>job</th><th>state</th><th>attempts</th><th>progress</th><th>created</th><th>error</th></tr></thead>
<tbody id="jobs"></tbody></table></section><section id="detail"><p>Select a job to see its payload, result, error and log.</p></section></main>
<script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
