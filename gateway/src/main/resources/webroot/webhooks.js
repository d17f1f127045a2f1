// dlrgate web UI: the Webhooks page (admin). Endpoints delivery events are pushed to, their backlog and errors;
// add, enable or disable, remove, replay. The secret is shown once, when an endpoint is created.
"use strict";
window.dlrgatePages = window.dlrgatePages || {};
(function () {
  const TYPES = ["message.queued", "message.submitted", "message.tab_changed", "message.final", "reply.received",
    "number.suppressed"];
  const age = (s) => s === null || s === undefined ? "—" : s < 120 ? s + " s" : s < 7200 ? Math.round(s / 60) + " min"
    : Math.round(s / 3600) + " h";

  window.dlrgatePages.webhooks = function (ui) {
    const { el, api, fmt, num, table, repaint, view } = ui;
    const list = el("div", { id: "webhook-list" });
    const secretBox = el("div", { id: "webhook-secret", role: "status" });
    const msg = el("p", { class: "error", role: "alert", id: "webhook-error" });
    const url = el("input", { id: "webhook-url", type: "url", required: true, placeholder: "https://app.example.com/dlrgate",
      "aria-label": "Endpoint URL", size: 40 });
    const campaign = el("input", { id: "webhook-campaign", type: "number", min: 1, placeholder: "all campaigns",
      "aria-label": "Only this campaign (id)" });
    const boxes = TYPES.map(t => el("input", { type: "checkbox", value: t, id: "webhook-type-" + t.replace(".", "-"),
      checked: t === "message.final" }));
    const form = el("form", { id: "webhook-form", class: "card" },
      el("div", { class: "toolbar" }, url, campaign, el("button", { type: "submit", id: "webhook-add" }, "Add endpoint")),
      el("fieldset", {}, el("legend", {}, "Events"), TYPES.map((t, i) => el("label", {}, boxes[i], " " + t))), msg);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const events = boxes.filter(b => b.checked).map(b => b.value);
      const body = { url: url.value, events };
      if (campaign.value) body.campaignId = Number(campaign.value);
      try {
        const e = await api("/api/v1/webhooks", { method: "POST", json: body });
        msg.textContent = "";
        url.value = "";
        secretBox.replaceChildren(el("div", { class: "card" },
          el("p", {}, "Endpoint " + e.id + " created. Its signing secret, shown only now: keep it with your app."),
          el("code", { id: "webhook-secret-value" }, e.secret)));
        refresh();
      } catch (e) { msg.textContent = e.message; }
    });
    view.replaceChildren(el("h1", {}, "Webhooks"),
      el("p", { class: "muted" }, "Delivery events pushed to your app, signed (Dlrgate-Signature), retried until delivered."),
      form, secretBox, list);

    async function act(fn) {
      msg.textContent = "";
      try { await fn(); } catch (e) { msg.textContent = e.message; }
      refresh();
    }
    async function refresh() {
      const r = await api("/api/v1/webhooks");
      const rows = r.items.map(e => el("tr", { id: "webhook-" + e.id },
        el("td", {}, String(e.id)),
        el("td", {}, e.url, e.campaignId ? el("div", { class: "muted" }, "campaign " + e.campaignId) : null),
        el("td", {}, e.events.join(", ")),
        el("td", {}, e.enabled ? "on" : "off", e.disabledReason ? el("div", { class: "error" }, e.disabledReason) : null),
        el("td", {}, num(e.backlog)),
        el("td", {}, age(e.oldestUndeliveredSeconds)),
        el("td", {}, num(e.delivered), " / ", num(e.failed), e.deadLettered ? el("div", { class: "error" }, num(e.deadLettered) + " dead-lettered") : null),
        el("td", {}, e.lastError ? el("span", { title: e.lastErrorAt || "" }, e.lastError) : "—",
          e.lastSuccessAt ? el("div", { class: "muted" }, "last success ", fmt(e.lastSuccessAt)) : null),
        el("td", {},
          el("button", { type: "button", class: "link", onclick: () => act(() => api("/api/v1/webhooks/" + e.id,
            { method: "PUT", json: { enabled: !e.enabled } })) }, e.enabled ? "Disable" : "Enable"), " ",
          el("button", { type: "button", class: "link", onclick: () => act(() => replay(e)) }, "Replay…"), " ",
          el("button", { type: "button", class: "link", onclick: () => {
            if (confirm("Remove endpoint " + e.id + " and its undelivered events?")) act(() => api("/api/v1/webhooks/" + e.id, { method: "DELETE" }));
          } }, "Remove"))));
      repaint(list, table(["Id", "URL", "Events", "Enabled", "Backlog", "Oldest waiting", "Delivered / failed", "Last error", ""],
        rows, "No endpoints yet."));
    }
    async function replay(e) {
      const answer = prompt("Replay endpoint " + e.id + ": a campaign id, or a time range as FROM/TO (ISO-8601, e.g. "
        + "2026-12-07T00:00:00Z/2026-12-08T00:00:00Z)");
      if (!answer) return;
      const body = /^\d+$/.test(answer.trim()) ? { campaignId: Number(answer.trim()) }
        : { from: answer.split("/")[0].trim(), to: (answer.split("/")[1] || "").trim() || undefined };
      const r = await api("/api/v1/webhooks/" + e.id + "/replay", { method: "POST", json: body });
      msg.textContent = r.queued + " events queued again.";
    }
    return { refresh };
  };
})();
