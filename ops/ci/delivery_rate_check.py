#!/usr/bin/env python3
"""Check that the dashboard's delivery rate equals the report API's for the same traffic (to the percent).

Used by .ci/ops-check once its load has stopped. Standard library only.

  delivery_rate_check.py --prom http://127.0.0.1:PORT --api http://127.0.0.1:PORT --key API_KEY \
                         --dashboard ops/grafana/dashboards/dlrgate.json --range 600s

  1. waits until the report API shows no message Pending (every campaign's report and every single send) and
     Prometheus has scraped dlrgate_messages_finalized_total summing to exactly the number of messages the
     reports hold (every message counted once, whatever made it final), its delivered ones plus the late
     DELIVRDs after the gateway's expiry to exactly the reports' Delivered;
  3. evaluates the dashboard panel "Delivery rate over the range" ($carrier = All, $__range = --range, which
     must cover the whole run) and compares it with delivered / sent from the report API: they must agree to
     the percent (|difference| < 0.005).
"""
import argparse
import csv
import io
import json
import sys
import time
import urllib.request

from eval_queries import Prom, substitute, walk_panels

PANEL = "Delivery rate over the range"
TABS = ["delivered", "pending", "soft-bounces", "hard-bounces", "deleted"]


def api_get(base, key, path):
    req = urllib.request.Request(base.rstrip("/") + path, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode("utf-8")


def report_tabs(base, key):
    """Messages per tab over every campaign report and every single send, as the report API tells them."""
    tabs = dict.fromkeys(TABS, 0)
    offset = 0
    while True:
        page = json.loads(api_get(base, key, f"/api/v1/campaigns?limit=500&offset={offset}"))
        for c in page["items"]:
            report = json.loads(api_get(base, key, f"/api/v1/campaigns/{c['id']}/report"))
            for t in TABS:
                tabs[t] += report["tabs"][t]
        offset += len(page["items"])
        if len(page["items"]) < page["limit"]:
            break
    for row in csv.DictReader(io.StringIO(api_get(base, key, "/api/v1/single-sends?format=csv"))):
        tabs[row["tab"]] += 1
    return tabs


def scalar(prom, expr):
    status, body = prom.query(expr)
    result = body.get("data", {}).get("result", [])
    if status != 200 or body.get("status") != "success" or not result:
        raise ValueError(f"{expr}: HTTP {status} {body.get('error')} {result}")
    return float(result[0]["value"][1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prom", required=True)
    ap.add_argument("--api", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--dashboard", required=True)
    ap.add_argument("--range", required=True, help="$__range: must cover the whole run, e.g. 900s")
    ap.add_argument("--settle-seconds", type=int, default=120)
    a = ap.parse_args()
    prom = Prom(a.prom)

    # Late receipts (a DELIVRD after the gateway's own expiry) may still arrive once nothing is Pending, and
    # Prometheus scrapes every few seconds: compare only once the reports and the scraped counters tell the same
    # counts, read again each round.
    deadline = time.monotonic() + a.settle_seconds
    while True:
        tabs = report_tabs(a.api, a.key)
        sent = sum(tabs.values())
        finalized = scalar(prom, "sum(dlrgate_messages_finalized_total)")
        delivered = scalar(prom, 'sum(dlrgate_messages_finalized_total{tab="delivered"}) '
                                 '+ sum(dlrgate_receipts_late_total{result="applied"})')
        if tabs["pending"] == 0 and finalized == sent and delivered == tabs["delivered"]:
            break
        if time.monotonic() > deadline:
            print(f"FAILED: after {a.settle_seconds} s the reports hold {sent} messages, {tabs}; "
                  f"dlrgate_messages_finalized_total sums to {finalized:.0f}, of them delivered (with late "
                  f"DELIVRDs after the gateway's expiry) {delivered:.0f}")
            return 1
        time.sleep(2)
    print(f"report API: {sent} messages, all final: {tabs}")
    by_cause = prom.query("sum by (cause, tab) (dlrgate_messages_finalized_total)")[1]["data"]["result"]
    print("dlrgate_messages_finalized_total sums to the same: " + ", ".join(
        f"{s['metric'].get('cause')}/{s['metric'].get('tab')}={float(s['value'][1]):.0f}" for s in by_cause))

    panel = next((p for p in walk_panels(json.load(open(a.dashboard))["panels"]) if p.get("title") == PANEL), None)
    if panel is None:
        print(f"FAILED: no panel {PANEL!r} in {a.dashboard}")
        return 1
    expr = substitute(panel["targets"][0]["expr"], {"carrier": ".*", "__range": a.range})
    dashboard_rate = scalar(prom, expr)
    now_delivered = scalar(prom, 'sum(dlrgate_messages_finalized_total{tab="delivered"}) '
                                 '+ sum(dlrgate_receipts_late_total{result="applied"})')
    now_finalized = scalar(prom, "sum(dlrgate_messages_finalized_total)")
    print(f"scraped counters when the panel was evaluated: {now_delivered:.0f} delivered of {now_finalized:.0f}")
    report_rate = tabs["delivered"] / sent if sent else float("nan")
    print(f"delivery rate: dashboard {dashboard_rate:.2%} ({PANEL!r}), report API {report_rate:.2%} "
          f"({tabs['delivered']} delivered of {sent} sent)")
    if not abs(dashboard_rate - report_rate) < 0.005:
        print(f"FAILED: the dashboard's delivery rate differs from the reports'\n  query: {expr}")
        return 1
    print("the dashboard's delivery rate equals the report API's to the percent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
