// dlrgate web UI, Carriers page: each configured carrier's binds (both directions), up or down since when, window
// use, effective submit rate and last-minute traffic, from GET /api/v1/carriers, refreshed every few seconds while
// the page is open. Kept apart from app.js, which calls dlrgatePages.carriers(ui) with its helpers.
"use strict";
window.dlrgatePages = window.dlrgatePages || {};
window.dlrgatePages.carriers = function (ui) {
  const { view, el, api, fmt, num, table, repaint } = ui;
  const REFRESH_MS = 5000;
  const RATE = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  const rate = (r) => RATE.format(r) + "/s";
  const body = el("div", { id: "carriers" });
  const updated = el("p", { class: "muted", id: "carriers-updated", role: "status" });
  view.replaceChildren(el("h1", {}, "Carriers"), updated, body);

  function state(c) {
    if (c.bound) {
      const since = c.sessions.map(s => s.upSince).filter(Boolean).sort()[0];
      return el("span", { class: "pill delivered", "data-state": "up" }, "Bound", since ? [" since ", fmt(since)] : null);
    }
    return c.downSince
      ? el("span", { class: "pill hard-bounces", "data-state": "down" }, "Down since ", fmt(c.downSince))
      : el("span", { class: "pill", "data-state": "never" }, "Never bound");
  }
  function binds(c) {
    const ways = [];
    if (c.inbound) ways.push("binds in to dlrgate");
    if (c.outbound) ways.push("dlrgate binds out to its SMSC");
    return ways.length ? ways.join("; ") : "no binds configured";
  }
  function card(c) {
    const rows = c.sessions.map(s => el("tr", { "data-session-id": s.id, "data-direction": s.direction },
      el("td", {}, s.direction === "out" ? "out (dlrgate bound)" : "in (carrier bound)"),
      el("td", {}, s.bindType), el("td", {}, s.remoteAddress || "—"), el("td", {}, fmt(s.upSince)),
      el("td", { class: "num" }, num(s.windowInUse) + " / " + num(s.windowSize))));
    const throttled = c.effectiveSubmitRate < c.maxSubmitRate;
    return el("section", { class: "card", "data-carrier": c.id, "aria-label": "Carrier " + c.id },
      el("h2", {}, c.id, " ", state(c)),
      el("div", { class: "figures" },
        el("div", {}, "Prefixes", el("b", {}, c.prefixes.join(" ") || "—")),
        el("div", {}, "Submit rate", el("b", { class: throttled ? "warn" : null, "data-field": "effective-rate",
          title: throttled ? "lowered: the carrier is throttling" : "the configured max_submit_rate" },
          rate(c.effectiveSubmitRate), " of ", rate(c.maxSubmitRate))),
        el("div", {}, "Submits accepted", el("b", { "data-field": "submits" }, rate(c.submitsPerSecond))),
        el("div", {}, "Receipts stored", el("b", { "data-field": "receipts" }, rate(c.receiptsPerSecond))),
        el("div", {}, "Window", el("b", {}, num(c.windowSize)))),
      el("p", { class: "muted" }, "Configured: ", binds(c), ". Rates are per second over the last minute."),
      table(["Direction", "Bind type", "Remote address", "Up since", el("th", { scope: "col", class: "num" }, "Window in use")],
        rows, "No session bound."));
  }
  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    // Stop once the reader has left the page (app.js knows nothing of this timer).
    if (!location.hash.startsWith("#/carriers")) return;
    try {
      const data = await api("/api/v1/carriers");
      repaint(body, ...data.carriers.map(card));
      updated.textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every " + REFRESH_MS / 1000 + " s.";
      updated.className = "muted";
    } catch (e) {
      updated.className = "error";
      updated.textContent = "Could not load the carriers: " + e.message;
    }
    if (location.hash.startsWith("#/carriers")) timer = setTimeout(refresh, REFRESH_MS);
  }
  return { refresh };
};
