// dlrgate web UI, Replies page: recipients' replies (mobile-originated messages), newest first, from
// GET /api/v1/replies; all of them (#/replies) or those answering one campaign (#/replies/<campaignId>), searchable
// by number, paged by the API's keyset "next" link, with a CSV download of what the filter keeps. Opt-outs and
// opt-ins (the STOP / START keywords) are marked. Kept apart from app.js, which calls dlrgatePages.replies(ui) for
// #/replies...; the campaign is read from the address.
"use strict";
window.dlrgatePages = window.dlrgatePages || {};
window.dlrgatePages.replies = function (ui) {
  const { view, el, api, fmt, num, table } = ui;
  const campaignId = Number(location.hash.replace(/^#\/?/, "").split("/")[1]) || null;
  const qs = (params) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, v);
    const s = p.toString();
    return s ? "?" + s : "";
  };
  const KIND = { "reply": "Reply", "opt-out": "Opted out", "opt-in": "Opted back in" };
  const PILL = { "reply": "pending", "opt-out": "hard-bounces", "opt-in": "delivered" };
  const state = { number: "", pages: [null] }; // pages: the "before" cursor of each page seen so far
  const search = el("input", { type: "search", id: "replies-number", inputmode: "tel",
    "aria-label": "Search replies by the whole number", placeholder: "Number, e.g. +447700900123" });
  const csv = el("a", { href: "#", id: "replies-csv" }, "Download CSV");
  const status = el("p", { class: "muted", id: "replies-total", role: "status" });
  const body = el("div", { id: "replies" });
  const pager = el("div", { class: "toolbar" });
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.number = search.value.replace(/\s/g, ""); state.pages = [null]; refresh(); }, 300);
  });
  const title = campaignId ? el("h1", {}, "Replies to campaign ", el("a", { href: `#/campaigns/${campaignId}` }, "#" + campaignId))
    : el("h1", {}, "Replies");
  view.replaceChildren(title, el("div", { class: "toolbar" }, search, csv), status, body, pager);

  function query(extra) {
    return qs(Object.assign({ campaignId: campaignId || null, number: state.number || null }, extra));
  }
  function row(r) {
    return el("tr", { "data-reply-id": r.id, "data-kind": r.kind },
      el("td", {}, fmt(r.receivedAt)), el("td", {}, r.from), el("td", { class: "reply-text" }, r.text),
      el("td", {}, el("span", { class: "pill " + PILL[r.kind] }, KIND[r.kind] || r.kind)),
      el("td", {}, r.campaignId ? el("a", { href: `#/campaigns/${r.campaignId}` }, "#" + r.campaignId)
        : r.messageId ? "single send" : el("span", { class: "muted", title: "nothing was sent to this number" }, "unlinked")),
      el("td", {}, r.carrier));
  }
  async function refresh() {
    if (state.number && !/^\+?[0-9]{1,16}$/.test(state.number)) {
      status.className = "error";
      status.textContent = "Type the digits of a number (optionally starting with +).";
      return;
    }
    csv.href = "/api/v1/replies" + query({ format: "csv" });
    const before = state.pages[state.pages.length - 1];
    try {
      const data = await api("/api/v1/replies" + query({ limit: 50, before }));
      status.className = "muted";
      status.textContent = num(data.total) + (data.total === 1 ? " reply" : " replies")
        + (campaignId ? " to this campaign" : "") + (state.number ? " from " + state.number : "") + ".";
      body.replaceChildren(table(["Received", "From", "Text", "Kind", "Answers", "Carrier"], data.items.map(row),
        "No replies yet."));
      const next = data.next ? new URLSearchParams(data.next.split("?")[1]).get("before") : null;
      pager.replaceChildren(
        state.pages.length > 1 ? el("button", { type: "button", onclick: () => { state.pages.pop(); refresh(); } }, "Newer") : null,
        next ? el("button", { type: "button", onclick: () => { state.pages.push(next); refresh(); } }, "Older") : null);
    } catch (e) {
      status.className = "error";
      status.textContent = "Could not load the replies: " + e.message;
    }
  }
  return { refresh };
};
