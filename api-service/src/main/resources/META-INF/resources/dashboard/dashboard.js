// Coffer operations dashboard: polls the admin-only /dashboard/api endpoints with the token kept
// in sessionStorage and redraws the tables in place (no page reload).
(() => {
  const REFRESH_MS = 2000;
  const KEY = "coffer.dashboard.token";
  const $ = (id) => document.getElementById(id);
  let timer = null;
  let instances = [];
  let expiry = 90;

  const text = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));
  const age = (s) => {
    if (s === null || s === undefined) return "never";
    if (s < 120) return s + " s";
    if (s < 7200) return Math.round(s / 60) + " min";
    if (s < 172800) return Math.round(s / 3600) + " h";
    return Math.round(s / 86400) + " d";
  };
  const cell = (tr, value, cls) => {
    const td = document.createElement("td");
    if (value instanceof Node) td.appendChild(value); else td.textContent = text(value);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  };
  // the tenant's fault message, and under it the cause only operators see
  const faultOf = (i) => {
    if (!i.fault) return null;
    const span = document.createElement("span");
    span.appendChild(document.createTextNode(i.fault));
    if (i.fault_details) {
      const cause = document.createElement("small");
      cause.className = "cause";
      cause.textContent = i.fault_details;
      span.appendChild(document.createElement("br"));
      span.appendChild(cause);
    }
    return span;
  };
  const badge = (value) => {
    const span = document.createElement("span");
    const v = text(value);
    span.textContent = v;
    const good = ["ACTIVE", "HEALTHY", "COMPLETED", "ready"];
    const bad = ["ERROR", "FAILED", "SHUTDOWN", "DELETE_FAILED", "gone", "BLOCKED"];
    span.className = "badge " + (good.includes(v) ? "ok" : bad.includes(v) ? "bad" : "warn");
    return span;
  };

  async function get(path) {
    const res = await fetch("/dashboard/api/" + path, {
      headers: { "X-Auth-Token": sessionStorage.getItem(KEY) || "", Accept: "application/json" },
    });
    if (res.status === 401 || res.status === 403) {
      const body = await res.json().catch(() => ({}));
      const fault = Object.values(body)[0] || {};
      throw Object.assign(new Error(fault.message || "not allowed"), { auth: true });
    }
    if (!res.ok) throw new Error(path + ": HTTP " + res.status);
    return res.json();
  }

  function drawInstances() {
    const q = $("search").value.trim().toLowerCase();
    const status = $("filter-status").value;
    const ds = $("filter-datastore").value;
    const project = $("filter-project").value.trim();
    const body = $("instances").tBodies[0];
    body.replaceChildren();
    let shown = 0;
    for (const i of instances) {
      if (q && !i.name.toLowerCase().includes(q) && !i.id.includes(q)) continue;
      if (status && i.status !== status) continue;
      if (ds && i.datastore !== ds) continue;
      if (project && !i.project.includes(project)) continue;
      shown++;
      const tr = document.createElement("tr");
      tr.dataset.id = i.id;
      if (i.silent) tr.classList.add("silent");
      const name = document.createElement("span");
      name.appendChild(document.createTextNode(i.name + " "));
      const id = document.createElement("code");
      id.textContent = i.id;
      name.appendChild(id);
      cell(tr, name);
      cell(tr, i.project);
      cell(tr, (i.datastore || "?") + " " + (i.version || ""));
      cell(tr, i.flavor);
      cell(tr, (i.volume_used === null ? "?" : i.volume_used) + " / " + text(i.volume_size) + " GB");
      cell(tr, badge(i.status), "status");
      cell(tr, badge(i.operating_status), "operating");
      cell(tr, age(i.heartbeat_age) + (i.silent ? " (silent)" : ""), "heartbeat");
      cell(tr, i.task);
      cell(tr, faultOf(i), "wrap");
      body.appendChild(tr);
    }
    const silent = instances.filter((i) => i.silent).length;
    $("instance-summary").textContent =
      `${shown} of ${instances.length} shown · ${silent} silent (heartbeat older than ${expiry} s)`;
  }

  function options(select, values) {
    const current = select.value;
    const first = select.options[0];
    select.replaceChildren(first);
    for (const v of [...new Set(values)].filter(Boolean).sort()) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    }
    select.value = current;
  }

  function drawBackups(data) {
    const body = $("backups").tBodies[0];
    body.replaceChildren();
    let running = 0, failed = 0;
    for (const b of data.backups) {
      if (["NEW", "BUILDING", "SAVING"].includes(b.state)) running++;
      if (b.state === "FAILED") failed++;
      const tr = document.createElement("tr");
      tr.dataset.id = b.id;
      cell(tr, b.name);
      cell(tr, b.instance_name || b.instance_id);
      cell(tr, b.project);
      cell(tr, b.type);
      cell(tr, badge(b.state));
      cell(tr, b.size_gb === null ? null : b.size_gb.toFixed(3) + " GB");
      cell(tr, age(b.age));
      cell(tr, b.fail_reason, "wrap");
      body.appendChild(tr);
    }
    $("backup-summary").textContent = `${running} running · ${failed} failed`;
  }

  function drawServices(data) {
    const procs = $("processes").tBodies[0];
    procs.replaceChildren();
    for (const p of data.processes) {
      const tr = document.createElement("tr");
      cell(tr, p.service);
      cell(tr, p.host + " (" + p.pid + ")");
      cell(tr, p.version);
      cell(tr, badge(p.state)).title = p.detail || "";
      cell(tr, age(p.uptime));
      procs.appendChild(tr);
    }
    const queues = $("queues").tBodies[0];
    queues.replaceChildren();
    for (const q of data.queues) {
      const tr = document.createElement("tr");
      cell(tr, q.queue);
      cell(tr, q.messages < 0 ? "unavailable" : q.messages);
      cell(tr, q.consumers < 0 ? "unavailable" : q.consumers);
      queues.appendChild(tr);
    }
  }

  async function refresh() {
    try {
      const [inst, backups, services] = await Promise.all([
        get("instances"), get("backups"), get("services"),
      ]);
      instances = inst.instances;
      expiry = inst.heartbeat_expiry;
      options($("filter-status"), instances.map((i) => i.status));
      options($("filter-datastore"), instances.map((i) => i.datastore));
      drawInstances();
      drawBackups(backups);
      drawServices(services);
      $("updated").textContent = "updated " + new Date().toLocaleTimeString();
      $("auth-error").textContent = "";
      show(true);
    } catch (e) {
      if (e.auth) {
        sessionStorage.removeItem(KEY);
        stop();
        instances = [];
        show(false);
        $("auth-error").textContent = e.message;
      } else {
        $("updated").textContent = "update failed: " + e.message;
      }
    }
  }

  function show(board) {
    $("board").hidden = !board;
    $("sign-in").hidden = board;
    $("sign-out").hidden = !board;
    if (!board) {
      for (const id of ["instances", "backups", "processes", "queues"]) {
        $(id).tBodies[0].replaceChildren();
      }
    }
  }

  function start() {
    stop();
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $("token").value.trim());
    $("token").value = "";
    start();
  });
  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    stop();
    show(false);
  });
  for (const id of ["search", "filter-status", "filter-datastore", "filter-project"]) {
    $(id).addEventListener("input", drawInstances);
  }
  if (sessionStorage.getItem(KEY)) start(); else show(false);
})();
