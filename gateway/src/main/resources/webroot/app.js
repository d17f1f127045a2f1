// dlrgate web UI: plain JavaScript, no build step, nothing fetched from outside the gateway.
"use strict";
(function () {
  const TAB_PAGE = 50; // contacts per page of a report tab
  const TABS = [["delivered", "Delivered"], ["pending", "Pending"], ["soft-bounces", "Soft bounces"],
    ["hard-bounces", "Hard bounces"], ["deleted", "Deleted"]];
  // Why a message failed (the "cause" of a tab row; vocabulary: io.dlrgate.reporting.report.FailureCause).
  const CAUSES = { "submit-rejected": "Rejected at submit", "submit-timeout": "Submit timed out",
    "submit-failed": "Submit failed", "gateway-expiry": "Expired by the gateway", "receipt": "Carrier receipt" };
  const view = document.getElementById("view");
  let me = null, events = null, current = null;

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  // Dates in the reader's own zone, named ("7 Dec 2026, 02:34:11 UTC"); the exact instant (UTC) in the tooltip.
  const DATE = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
  const fmt = (iso) => iso ? el("time", { datetime: iso, title: new Date(iso).toISOString() }, DATE.format(new Date(iso))) : "—";
  const num = (n) => n === null || n === undefined ? "—" : Number(n).toLocaleString();
  // A fraction (0.7) as a percentage ("70%", "33.3%"); "—" when there is none (nothing sent).
  const PERCENT = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
  const pct = (f) => f === null || f === undefined ? "—" : PERCENT.format(f);
  async function api(path, opts) {
    const o = Object.assign({ credentials: "same-origin" }, opts || {});
    o.headers = Object.assign({ "X-Requested-With": "dlrgate" }, o.headers || {});
    if (o.json !== undefined) { o.body = JSON.stringify(o.json); o.headers["Content-Type"] = "application/json"; }
    const r = await fetch(path, o);
    if (r.status === 401) { showLogin(); throw new Error("not logged in"); }
    const body = r.headers.get("Content-Type")?.includes("json") ? await r.json() : await r.text();
    if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
    if (body && typeof body === "object" && body.freshness) showFreshness(body.freshness);
    return body;
  }
  // Reports read from a replica (database.read_url) may miss the last seconds of writes: say so when over 5 s.
  function showFreshness(f) {
    const n = document.getElementById("freshness");
    n.textContent = f && f.notice ? f.notice.charAt(0).toUpperCase() + f.notice.slice(1) + " (read from a replica)." : "";
    n.hidden = !n.textContent;
  }
  function qs(params) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, v);
    const s = p.toString();
    return s ? "?" + s : "";
  }
  function table(headers, rows, empty) {
    return el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, headers.map(h => typeof h === "string" ? el("th", { scope: "col" }, h) : h))),
      el("tbody", {}, rows.length ? rows : [el("tr", {}, el("td", { colspan: headers.length, class: "muted" }, empty || "Nothing here yet."))])));
  }
  // Calls fn once events pause for `quiet` ms, but at least every `maxWait` ms while they keep coming: a stream of
  // receipts restarts the quiet period on every event and must not hold the rows back until it ends. One run at a
  // time; a call during a run schedules another after it.
  function throttle(fn, quiet, maxWait) {
    let timer = null, firstCall = 0, running = false, again = false;
    async function run() {
      timer = null; firstCall = 0;
      if (running) { again = true; return; }
      running = true;
      try { await fn(); } finally {
        running = false;
        if (again) { again = false; schedule(); }
      }
    }
    function schedule() {
      const now = Date.now();
      if (!firstCall) firstCall = now;
      clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, Math.min(quiet, firstCall + maxWait - now)));
    }
    return schedule;
  }
  const LIVE_QUIET_MS = 300, LIVE_MAX_WAIT_MS = 1000;
  const scheduleRefresh = throttle(() => current && current.refresh && current.refresh(), LIVE_QUIET_MS, LIVE_MAX_WAIT_MS);
  // Replaces a view's content keeping where the reader was: the page and table scroll and the focused control.
  function repaint(container, ...children) {
    const wrap = container.querySelector(".table-wrap");
    const left = wrap ? wrap.scrollLeft : 0, x = window.scrollX, y = window.scrollY;
    const focused = container.contains(document.activeElement) ? document.activeElement.id : "";
    container.replaceChildren(...children.filter(c => c !== null && c !== undefined));
    const newWrap = container.querySelector(".table-wrap");
    if (newWrap) newWrap.scrollLeft = left;
    window.scrollTo(x, y);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- login
  function showLogin() {
    me = null;
    document.getElementById("nav").hidden = true;
    document.getElementById("logout").hidden = true;
    document.getElementById("whoami").textContent = "";
    document.getElementById("login-view").hidden = false;
    view.replaceChildren();
    if (events) { events.close(); events = null; }
    document.getElementById("login-name").focus();
  }
  document.getElementById("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = document.getElementById("login-error");
    err.textContent = "";
    const r = await fetch("/api/v1/login", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Requested-With": "dlrgate" },
      body: JSON.stringify({ name: document.getElementById("login-name").value,
        password: document.getElementById("login-password").value }) });
    if (r.status === 429) {
      err.textContent = "Too many failed logins from this address: try again in " + (r.headers.get("Retry-After") || "a few") + " s.";
      return;
    }
    if (!r.ok) { err.textContent = "Wrong name or password."; return; }
    await start();
  });
  document.getElementById("logout").addEventListener("click", async () => {
    await fetch("/api/v1/logout", { method: "POST", credentials: "same-origin", headers: { "X-Requested-With": "dlrgate" } });
    showLogin();
  });

  async function start() {
    try { me = await api("/api/v1/me"); } catch (e) { return; }
    document.getElementById("login-view").hidden = true;
    document.getElementById("nav").hidden = false;
    document.getElementById("logout").hidden = false;
    document.getElementById("whoami").textContent = me.name + " (" + me.role + ")";
    document.querySelectorAll("nav a[data-role=admin]").forEach(a => { a.hidden = me.role !== "admin"; });
    connectEvents();
    if (!location.hash || location.hash === "#/") location.hash = "#/campaigns"; else route();
  }

  // ---------------------------------------------------------------- live updates
  function connectEvents() {
    if (events) return;
    const live = document.getElementById("live");
    events = new EventSource("/api/v1/events");
    events.onopen = () => { live.textContent = "● live"; };
    events.onerror = () => { live.textContent = "○ reconnecting"; };
    events.addEventListener("tabs", (ev) => { const d = JSON.parse(ev.data); current && current.onTabs && current.onTabs(d.changes); });
    events.addEventListener("queued", (ev) => { const d = JSON.parse(ev.data); current && current.onQueued && current.onQueued(d); });
    events.addEventListener("resync", () => scheduleRefresh());
  }

  // ---------------------------------------------------------------- routing
  window.addEventListener("hashchange", route);
  function route() {
    if (!me) return;
    showFreshness(null); // the next report read says again
    const parts = location.hash.replace(/^#\/?/, "").split("/");
    document.querySelectorAll("nav a").forEach(a => a.removeAttribute("aria-current"));
    // Pages kept in files of their own (carriers.js, webhooks.js) register in window.dlrgatePages.
    const page = (window.dlrgatePages || {})[parts[0]];
    const navKey = ["settings", "single-sends"].includes(parts[0]) || page ? parts[0] : "campaigns";
    document.querySelector(`nav a[data-nav="${navKey}"]`).setAttribute("aria-current", "page");
    if (page) current = page({ view, el, api, fmt, num, table, repaint, me });
    else if (parts[0] === "campaigns" && parts[1]) current = campaignReport(Number(parts[1]), parts[2] || "delivered");
    else if (parts[0] === "single-sends") current = singleSends();
    else if (parts[0] === "settings") current = settings();
    else current = campaignList();
    current.refresh();
  }

  // ---------------------------------------------------------------- campaign list
  function campaignList() {
    const state = { search: "", sort: "lastSent", order: "desc", offset: 0, limit: 25 };
    const cols = [["name", "Name"], ["lastModifiedBy", "Last modified by"], ["sent", "Sent", true], ["delivered", "Delivered", true],
      ["deliveryRate", "Delivery rate", true], ["totalClicks", "Total clicks", true], ["uniqueClicks", "Unique clicks", true], ["lastSent", "Last sent"]];
    const search = el("input", { type: "search", id: "campaign-search", "aria-label": "Search campaigns by name", placeholder: "Search by name" });
    search.addEventListener("input", () => { state.search = search.value; state.offset = 0; scheduleRefresh(); });
    const body = el("div");
    const csv = el("a", { href: "#", id: "campaigns-csv" }, "Download CSV");
    view.replaceChildren(el("h1", {}, "My reports: campaign sends"), el("div", { class: "toolbar" }, search, csv), body);
    async function refresh() {
      const q = { search: state.search, sort: state.sort, order: state.order, limit: state.limit, offset: state.offset };
      csv.href = "/api/v1/campaigns" + qs(Object.assign({}, q, { format: "csv", limit: null, offset: null }));
      const data = await api("/api/v1/campaigns" + qs(q));
      const headers = cols.map(([key, label, isNum]) => el("th", { scope: "col", class: isNum ? "num" : null,
        "aria-sort": state.sort === key ? (state.order === "asc" ? "ascending" : "descending") : null },
        el("button", { type: "button", onclick: () => { state.order = state.sort === key && state.order === "desc" ? "asc" : "desc"; state.sort = key; refresh(); } },
          label + (state.sort === key ? (state.order === "asc" ? " ▲" : " ▼") : ""))));
      const rows = data.items.map(c => el("tr", {},
        el("td", {}, el("a", { href: `#/campaigns/${c.id}`, "data-campaign-id": c.id }, c.name)),
        el("td", {}, c.lastModifiedBy), el("td", { class: "num" }, num(c.sent)), el("td", { class: "num", "data-delivered": c.id }, num(c.delivered)),
        el("td", { class: "num", "data-delivery-rate": c.id }, pct(c.deliveryRate)),
        el("td", { class: "num" }, c.linkTracking ? num(c.totalClicks) : "—"), el("td", { class: "num" }, c.linkTracking ? num(c.uniqueClicks) : "—"),
        el("td", {}, fmt(c.lastSentAt))));
      const pager = el("div", { class: "pager" },
        el("button", { type: "button", class: "secondary", disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - state.limit); refresh(); } }, "Previous"),
        el("span", { class: "muted" }, `${data.total ? state.offset + 1 : 0}–${state.offset + data.items.length} of ${num(data.total)}`),
        el("button", { type: "button", class: "secondary", disabled: state.offset + data.items.length >= data.total, onclick: () => { state.offset += state.limit; refresh(); } }, "Next"));
      repaint(body, table(headers, rows, "No campaigns."), pager);
    }
    return { refresh, onTabs: scheduleRefresh, onQueued: scheduleRefresh };
  }

  // ---------------------------------------------------------------- campaign report
  function campaignReport(id, tab) {
    const state = { tab, number: "", after: 0, pages: [] };
    const counts = {};
    const head = el("div");
    const tabList = el("div", { class: "tabs", role: "tablist", "aria-label": "Report tabs" });
    const number = el("input", { type: "search", id: "number-search", "aria-label": "Search by number", placeholder: "Search by number" });
    number.addEventListener("input", () => { state.number = number.value.replace(/[^0-9+]/g, ""); state.after = 0; state.pages = []; scheduleTab(); });
    const csv = el("a", { href: "#", id: "tab-csv" }, "Download CSV");
    const panel = el("div", { role: "tabpanel", id: "tab-panel", tabindex: "0" });
    const links = el("div");
    const scheduleTab = throttle(loadTab, 250, LIVE_MAX_WAIT_MS);
    let tabLoads = 0;
    const buttons = TABS.map(([slug, label]) => {
      const b = el("button", { type: "button", role: "tab", id: "tab-" + slug, "aria-controls": "tab-panel" }, label, el("span", { class: "count", id: "count-" + slug }, "…"), el("span", { class: "rate", id: "rate-" + slug }, ""));
      b.addEventListener("click", () => select(slug));
      b.addEventListener("keydown", (ev) => {
        const i = TABS.findIndex(t => t[0] === slug);
        if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
          const next = TABS[(i + (ev.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length][0];
          select(next); document.getElementById("tab-" + next).focus(); ev.preventDefault();
        }
      });
      tabList.append(b);
      return b;
    });
    const chart = el("div", { class: "card chart" });
    const scheduleChart = throttle(loadTimeline, 1000, 5000); // a pass over the campaign's messages: not on every event
    view.replaceChildren(el("p", {}, el("a", { href: "#/campaigns" }, "← Campaign sends")), head, chart, tabList,
      el("div", { class: "toolbar" }, number, csv), panel, el("h2", {}, "Links"), links);
    function select(slug) {
      state.tab = slug; state.after = 0; state.pages = [];
      history.replaceState(null, "", `#/campaigns/${id}/${slug}`);
      paintTabs(); loadTab();
    }
    function paintTabs() {
      buttons.forEach((b, i) => { const on = TABS[i][0] === state.tab; b.setAttribute("aria-selected", on); b.tabIndex = on ? 0 : -1; });
      panel.setAttribute("aria-labelledby", "tab-" + state.tab);
    }
    function paintCounts() {
      // The shares are the report's rates (count / sent), recomputed here as counts change live.
      const sent = TABS.reduce((s, [slug]) => s + (counts[slug] || 0), 0);
      const share = (slug) => sent ? (counts[slug] || 0) / sent : null;
      for (const [slug] of TABS) {
        document.getElementById("count-" + slug).textContent = num(counts[slug] || 0);
        document.getElementById("rate-" + slug).textContent = pct(share(slug));
      }
      const f = document.getElementById("fig-sent"); if (f) f.textContent = num(sent);
      const d = document.getElementById("fig-delivery-rate"); if (d) d.textContent = pct(share("delivered"));
    }
    async function loadOverview() {
      const r = await api(`/api/v1/campaigns/${id}/report`);
      Object.assign(counts, r.tabs);
      head.replaceChildren(el("h1", {}, r.name), el("div", { class: "card figures" },
        el("div", {}, "Sent", el("b", { id: "fig-sent" }, num(r.sent))),
        el("div", {}, "Delivery rate", el("b", { id: "fig-delivery-rate" }, pct(r.deliveryRate))),
        el("div", {}, "Unique sends", el("b", { id: "fig-unique" }, num(r.uniqueSends))),
        el("div", {}, "Sends", el("b", {}, num(r.sends))),
        el("div", {}, "Opt-outs", el("b", { id: "fig-opt-outs" }, el("a", { href: `#/replies/${id}`, title: "Replies to this campaign" }, num(r.optOuts)))),
        el("div", {}, "Last sent", el("b", {}, fmt(r.lastSentAt))),
        el("div", {}, "Sender", el("b", { id: "fig-sender" }, r.from)),
        r.linkTracking ? el("div", {}, "Clicks (unique)", el("b", {}, `${num(r.totalClicks)} (${num(r.uniqueClicks)})`)) : null),
        el("h2", {}, "Message sent"),
        r.sentContent == null ? el("p", { class: "muted", id: "sent-content" }, "Not sent yet.")
          : el("div", { class: "bubble", id: "sent-content" }, r.sentContent));
      paintCounts();
      links.replaceChildren(r.linkTracking || r.links.length
        ? table(["Link", el("th", { class: "num", scope: "col" }, "Total clicks"), el("th", { class: "num", scope: "col" }, "Unique clicks")],
          r.links.map(l => el("tr", {}, el("td", {}, l.url), el("td", { class: "num" }, num(l.totalClicks)), el("td", { class: "num" }, num(l.uniqueClicks)))),
          "No links clicked or tracked yet.")
        : el("p", { class: "muted" }, "Link tracking is off for this campaign."));
    }
    async function loadTab() {
      const q = { number: state.number, after: state.after || null, limit: TAB_PAGE };
      csv.href = `/api/v1/campaigns/${id}/report/${state.tab}` + qs({ number: state.number, format: "csv" });
      const load = ++tabLoads;
      const r = await api(`/api/v1/campaigns/${id}/report/${state.tab}` + qs(q));
      if (load !== tabLoads) return; // a newer load (other tab, page or search) started meanwhile
      const rows = r.items.map(c => el("tr", { "data-message-id": c.messageId },
        el("td", {}, c.number), el("td", {}, c.country || "—"), el("td", {}, c.stat || "—"), el("td", {}, c.error || "—"),
        el("td", {}, c.errorClass || "—", suppressionNote(c, r.suppressionRule)), el("td", {}, CAUSES[c.cause] || c.cause || "—"),
        el("td", {}, fmt(c.sentAt)), el("td", {}, fmt(c.finalAt)), el("td", {}, c.carrier || "—")));
      const page = state.pages.length + 1, pageCount = Math.max(1, Math.ceil(r.total / TAB_PAGE));
      const pager = el("div", { class: "pager" },
        el("button", { type: "button", class: "secondary", id: "tab-previous", disabled: !state.pages.length, onclick: () => { state.after = state.pages.pop() || 0; loadTab(); } }, "Previous"),
        el("span", { class: "muted", id: "tab-page" }, `Page ${num(page)} of ${num(Math.max(page, pageCount))} · ${num(r.total)} ${r.total === 1 ? "contact" : "contacts"}`),
        el("button", { type: "button", class: "secondary", id: "tab-next", disabled: !r.next, onclick: () => { state.pages.push(state.after); state.after = r.items[r.items.length - 1].messageId; loadTab(); } }, "Next"));
      // The rule in force, once under the rows, when a row's failure did not count toward suppression.
      const notCounted = r.items.some(c => c.countsTowardSuppression === false);
      repaint(panel, table(["Number", "Country", "Stat", "Error", "Error class", "Cause", "Sent", "Final", "Carrier"], rows, "No contacts in this tab."),
        notCounted ? el("p", { class: "muted", id: "suppression-rule" }, "Suppression: " + r.suppressionRule) : null, pager);
    }
    function onTabs(changes) {
      let mine = false;
      for (const c of changes) {
        if (c.campaignId !== id) continue;
        mine = true;
        counts[c.from] = Math.max(0, (counts[c.from] || 0) - c.count);
        counts[c.to] = (counts[c.to] || 0) + c.count;
      }
      if (mine) { paintCounts(); scheduleTab(); scheduleChart(); }
    }
    function onQueued(d) { if (d.campaignId === id) scheduleRefresh(); }
    async function loadTimeline() {
      const t = await api(`/api/v1/campaigns/${id}/timeline`);
      chart.replaceChildren(el("h2", {}, "Over time"), t.start ? timelineChart(t) : el("p", { class: "muted" }, "Not sent yet."));
    }
    async function refresh() { paintTabs(); await loadOverview(); await loadTab(); await loadTimeline(); }
    return { refresh, onTabs, onQueued };
  }

  // The five tabs over time (GET /api/v1/campaigns/{id}/timeline), drawn as an inline SVG: a line per tab from the
  // first send (all zero) through the counts at each bucket's end. Colours come from app.css (.series-<tab>).
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }
  function timelineChart(t) {
    const W = 640, H = 180, L = 48, R = 8, T = 8, B = 22;
    const times = [Date.parse(t.start), ...t.buckets.map(b => Date.parse(b.end))];
    const values = (slug) => [0, ...t.buckets.map(b => b.tabs[slug])];
    const max = Math.max(1, ...t.buckets.flatMap(b => TABS.map(([slug]) => b.tabs[slug])));
    const x = (ms) => L + (W - L - R) * (ms - times[0]) / Math.max(1, times[times.length - 1] - times[0]);
    const y = (v) => T + (H - T - B) * (1 - v / max);
    const last = t.buckets[t.buckets.length - 1].tabs;
    const chartSvg = svg("svg", { id: "timeline-chart", viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "Tabs over time since the first send, in buckets of " + t.bucket + "; now: "
        + TABS.map(([slug, label]) => label + " " + num(last[slug])).join(", ") },
      svg("line", { class: "axis", x1: L, y1: y(0), x2: W - R, y2: y(0) }),
      svg("line", { class: "axis", x1: L, y1: T, x2: L, y2: y(0) }),
      svg("text", { class: "tick", x: L - 4, y: y(max) + 4, "text-anchor": "end" }, num(max)),
      svg("text", { class: "tick", x: L - 4, y: y(0), "text-anchor": "end" }, "0"),
      svg("text", { class: "tick", x: L, y: H - 4 }, DATE.format(new Date(times[0]))),
      svg("text", { class: "tick", x: W - R, y: H - 4, "text-anchor": "end" }, DATE.format(new Date(times[times.length - 1]))),
      ...TABS.map(([slug]) => svg("polyline", { class: "series series-" + slug, "data-tab": slug, fill: "none",
        points: values(slug).map((v, i) => `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`).join(" ") })));
    const legend = el("ul", { class: "legend" }, TABS.map(([slug, label]) =>
      el("li", {}, el("span", { class: "swatch swatch-" + slug, "aria-hidden": "true" }), label)));
    return el("div", {}, chartSvg, legend);
  }

  // Under a failed row's error class: whether it counted toward suppressing the number, the rule in force in the
  // tooltip (so a marketer sees why an UNDELIV classed transient did not suppress it).
  function suppressionNote(c, rule) {
    if (c.countsTowardSuppression === null || c.countsTowardSuppression === undefined) return null;
    const text = c.countsTowardSuppression ? " — counts toward suppression" : " — not counted toward suppression";
    return el("small", { class: "suppression-note", title: rule, "data-counts": String(c.countsTowardSuppression) }, text);
  }

  // ---------------------------------------------------------------- single sends
  function singleSends() {
    const state = { tab: "", source: "", from: "", to: "", number: "", before: null, pages: [] };
    // A send to a suppressed number was not sent: it is listed under "Suppressed", which is none of the five tabs.
    const SINGLE_TABS = [...TABS, ["suppressed", "Suppressed"]];
    const tabLabel = (slug) => (SINGLE_TABS.find(t => t[0] === slug) || [slug, slug])[1];
    const tabSel = el("select", { id: "filter-tab" }, el("option", { value: "" }, "Any"), SINGLE_TABS.map(([s, l]) => el("option", { value: s }, l)));
    const srcSel = el("select", { id: "filter-source" }, el("option", { value: "" }, "Any"),
      [["ui", "Page"], ["api", "API"], ["program", "Program"]].map(([s, l]) => el("option", { value: s }, l)));
    const from = el("input", { type: "date", id: "filter-from" });
    const to = el("input", { type: "date", id: "filter-to" });
    const number = el("input", { type: "search", id: "filter-number", placeholder: "Number" });
    const csv = el("a", { href: "#", id: "single-csv" }, "Download CSV");
    const body = el("div");
    function changed() {
      Object.assign(state, { tab: tabSel.value, source: srcSel.value, from: from.value, to: to.value,
        number: number.value.replace(/[^0-9+]/g, ""), before: null, pages: [] });
      scheduleRefresh();
    }
    [tabSel, srcSel, from, to].forEach(i => i.addEventListener("change", changed));
    number.addEventListener("input", changed);
    const lab = (text, input) => el("label", {}, text, input);
    view.replaceChildren(el("h1", {}, "My reports: single sends"),
      el("div", { class: "toolbar" }, lab("Tab", tabSel), lab("Source", srcSel), lab("From", from), lab("To", to), lab("Number", number), csv), body);
    async function refresh() {
      const f = { tab: state.tab, source: state.source, from: state.from, to: state.to, number: state.number };
      csv.href = "/api/v1/single-sends" + qs(Object.assign({ format: "csv" }, f));
      const r = await api("/api/v1/single-sends" + qs(Object.assign({ before: state.before, limit: 25 }, f)));
      const src = { ui: "Page", api: "API", program: "Program" };
      const rows = r.items.map(m => el("tr", {},
        el("td", {}, m.number), el("td", {}, m.country || "—"), el("td", { class: "sender" }, m.from), el("td", {}, fmt(m.createdAt)), el("td", {}, m.contentStart),
        el("td", {}, el("span", { class: "pill " + m.tab, "data-single-tab": m.id }, tabLabel(m.tab))), el("td", {}, src[m.source] || m.source),
        el("td", {}, el("button", { type: "button", class: "link", "data-preview-id": m.id, onclick: () => preview(m.id) }, "Preview"))));
      const pager = el("div", { class: "pager" },
        el("button", { type: "button", class: "secondary", disabled: !state.pages.length, onclick: () => { state.before = state.pages.pop() || null; refresh(); } }, "Previous"),
        el("button", { type: "button", class: "secondary", disabled: !r.next, onclick: () => { state.pages.push(state.before); state.before = r.items[r.items.length - 1].id; refresh(); } }, "Next"));
      repaint(body, table(["Number", "Country", "Sender", "Sent", "Content", "Tab", "Source", ""], rows, "No single sends."), pager);
    }
    async function preview(id) {
      const m = await api("/api/v1/single-sends/" + id);
      document.getElementById("preview-meta").replaceChildren(
        el("dt", {}, "To"), el("dd", {}, m.to), el("dt", {}, "Country"), el("dd", {}, m.country || "—"), el("dt", {}, "Sender"), el("dd", {}, m.from),
        el("dt", {}, "Sent"), el("dd", {}, fmt(m.sentAt || m.createdAt)), el("dt", {}, "Tab"), el("dd", {}, tabLabel(m.tab)),
        el("dt", {}, "Stat"), el("dd", {}, m.stat || "—"));
      document.getElementById("preview-content").textContent = m.content;
      document.getElementById("preview").showModal();
    }
    return { refresh, onTabs: (changes) => { if (changes.some(c => c.campaignId === null)) scheduleRefresh(); },
      onQueued: (d) => { if (d.campaignId === null) scheduleRefresh(); } };
  }

  // ---------------------------------------------------------------- settings
  const SUPPRESSED_PAGE = 100; // numbers per page of the suppressed list
  function settings() {
    const admin = me && me.role === "admin";
    const rules = el("div"), list = el("div");
    view.replaceChildren(el("h1", {}, "Settings"), rules, el("h2", {}, "Suppressed numbers"), list);
    // The suppressed list: searched by the start of a number, read page by page through the API's next links.
    const state = { number: "", page: null, pages: [] };
    let ruleInForce = "";
    const search = el("input", { type: "search", id: "suppressed-search", "aria-label": "Search suppressed numbers",
      placeholder: "Number starts with, e.g. +4477" });
    search.addEventListener("input", () => { state.number = search.value.replace(/[^0-9+]/g, ""); state.page = null; state.pages = []; loadList(); });
    const csv = el("a", { href: "#", id: "suppressed-csv" }, "Download CSV");
    const add = el("input", { id: "suppress-number", placeholder: "+447700900123", "aria-label": "Number to suppress", disabled: !admin });
    const addMsg = el("p", { class: "error", role: "alert" });
    const addForm = el("form", { class: "toolbar" }, add, el("button", { type: "submit", disabled: !admin }, "Suppress number"));
    addForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try { await api("/api/v1/suppressions", { method: "POST", json: { number: add.value } }); addMsg.textContent = ""; loadList(); }
      catch (e) { addMsg.textContent = e.message; }
    });
    const rows = el("div");
    list.append(addForm, addMsg, el("div", { class: "toolbar" }, search, csv), rows);
    let listLoads = 0;
    async function loadList() {
      const first = "/api/v1/suppressions" + qs({ number: state.number, limit: SUPPRESSED_PAGE });
      csv.href = "/api/v1/suppressions" + qs({ number: state.number, format: "csv" });
      const load = ++listLoads;
      const r = await api(state.page || first);
      if (load !== listLoads) return; // a newer search or page started meanwhile
      const trs = r.items.map(x => el("tr", {}, el("td", {}, x.number), el("td", {}, x.reason), el("td", {}, fmt(x.createdAt)), el("td", {}, x.createdBy),
        el("td", {}, admin ? el("button", { type: "button", class: "link", onclick: async () => {
          await api("/api/v1/suppressions/" + encodeURIComponent(x.number), { method: "DELETE" }); loadList(); } }, "Remove") : "")));
      const page = state.pages.length + 1, pageCount = Math.max(1, Math.ceil(r.total / SUPPRESSED_PAGE));
      const pager = el("div", { class: "pager" },
        el("button", { type: "button", class: "secondary", id: "suppressed-previous", disabled: !state.pages.length, onclick: () => { state.page = state.pages.pop(); loadList(); } }, "Previous"),
        el("span", { class: "muted", id: "suppressed-page" }, `Page ${num(page)} of ${num(Math.max(page, pageCount))} · ${num(r.total)} ${r.total === 1 ? "number" : "numbers"}`),
        el("button", { type: "button", class: "secondary", id: "suppressed-next", disabled: !r.next, onclick: () => { state.pages.push(state.page); state.page = r.next; loadList(); } }, "Next"));
      // A number searched and not found: the rule says why its failures (transient ones, say) did not suppress it.
      const empty = state.number ? `No suppressed number starts with ${state.number}. ${ruleInForce}` : "No suppressed numbers.";
      repaint(rows, table(["Number", "Reason", "Since", "By", ""], trs, empty), pager);
    }
    // The suppression rules: an admin changes them, saved together, and is told what is now in force.
    async function loadRules() {
      const s = await api("/api/v1/settings");
      const toggle = el("input", { type: "checkbox", id: "suppress-toggle", checked: s.suppressHardBounces, disabled: !admin });
      const threshold = el("input", { type: "number", id: "suppress-threshold", min: 1, max: 100, step: 1, required: true, value: s.suppressionThreshold, disabled: !admin });
      const mode = el("select", { id: "suppress-mode", disabled: !admin },
        el("option", { value: "consecutive" }, "Consecutive (a delivery starts the count again)"), el("option", { value: "total" }, "In total"));
      mode.value = s.suppressionMode;
      const invalid = el("input", { type: "checkbox", id: "suppress-invalid", checked: s.countInvalidNumbers, disabled: !admin });
      ruleInForce = s.rule;
      const rule = el("p", { id: "suppress-rule" }, s.rule);
      const saved = el("p", { id: "settings-saved", role: "status" });
      const form = el("form", { id: "settings-form", class: "settings" },
        el("label", {}, toggle, " Suppress SMS contacts that have hard bounced (recommended)"),
        el("div", { class: "toolbar" }, el("label", {}, "Permanent bounces before a number is suppressed", threshold), el("label", {}, "Counted", mode)),
        el("label", {}, invalid, " Count invalid and unroutable numbers (filed as Hard bounces at the send) toward suppression"),
        el("div", { class: "toolbar" }, el("button", { type: "submit", id: "settings-save", disabled: !admin }, "Save")),
        rule, saved, admin ? null : el("p", { class: "muted" }, "Only an admin can change settings."));
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        saved.className = ""; saved.textContent = "Saving…";
        try {
          const now = await api("/api/v1/settings", { method: "PUT", json: { suppressHardBounces: toggle.checked,
            suppressionThreshold: Number(threshold.value), suppressionMode: mode.value, countInvalidNumbers: invalid.checked } });
          rule.textContent = ruleInForce = now.rule;
          saved.textContent = "Saved. The new rule applies to bounces from now on.";
        } catch (e) { saved.className = "error"; saved.textContent = "Not saved: " + e.message; }
      });
      rules.replaceChildren(el("div", { class: "card" }, form));
    }
    async function refresh() { await loadRules(); await loadList(); }
    return { refresh };
  }

  start().catch(() => showLogin());
})();
