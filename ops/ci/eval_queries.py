#!/usr/bin/env python3
"""Evaluate every Grafana panel query and every Prometheus rule expression against a live Prometheus.

Used by .ci/ops-check once Prometheus has scraped a loaded gateway for a while. Standard library only.

  eval_queries.py --prom http://127.0.0.1:PORT --dashboard ops/grafana/dashboards/dlrgate.json \
                  --rules ops/prometheus/alerts.yml [--rate-interval 30s] [--interval 10s] [--range 120s]

Checks, each printed, any failure makes the exit status 1:
  * the gateway scrape target is up;
  * every metric family the gateway promises is in Prometheus;
  * every dashboard template variable resolves to at least one value;
  * every panel target, with $carrier = All and = each carrier, and Grafana's $__ variables substituted,
    parses (HTTP 200, status success) and returns data: a non-empty result with at least one number that
    is not NaN (an all-NaN result draws nothing in Grafana);
  * every panel honours $carrier: each selector of a metric that has a carrier label filters on it, and a
    panel none of whose metrics has one says so in its description ("$carrier does not apply");
  * every rule of the rules file is loaded by Prometheus, healthy, and its expression parses.
"""
import argparse
import json
import math
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

# The metric families of issue 7 (Prometheus names; counters without _total, histograms without _bucket).
EXPECTED_FAMILIES = [
    "dlrgate_smpp_sessions", "dlrgate_smpp_bind_attempts_total", "dlrgate_smpp_pdus_total",
    "dlrgate_smpp_window_in_use", "dlrgate_smpp_window_size", "dlrgate_submit_response_seconds_bucket",
    "dlrgate_submits_total", "dlrgate_queue_messages", "dlrgate_receipts_total",
    "dlrgate_receipts_unknown_stat_total", "dlrgate_receipts_orphaned_total", "dlrgate_receipts_duplicate_total",
    "dlrgate_receipts_late_total", "dlrgate_receipts_throttled_total", "dlrgate_receipts_refused_total",
    "dlrgate_delivery_seconds_bucket", "dlrgate_messages", "dlrgate_expiries_total",
    "dlrgate_suppressions_added_total", "dlrgate_suppressions_lifted_total", "dlrgate_commit_batch_size_count",
    "dlrgate_commit_seconds_bucket", "hikaricp_connections_active", "jvm_memory_used_bytes", "dlrgate_build_info",
    "dlrgate_messages_finalized_total", "dlrgate_submit_throttled_total", "dlrgate_submit_rate_effective",
]
# A metric selector in a panel query (the names this project's panels use).
SELECTOR = re.compile(r"\b((?:dlrgate|hikaricp|jvm|process)_[a-zA-Z0-9_]*)(\{[^}]*\})?")
CARRIER_FILTER = 'carrier=~"$carrier"'
NOT_PER_CARRIER = "$carrier does not apply"


class Prom:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            try:
                return e.code, json.load(e)
            except Exception:  # noqa: BLE001 - a non-JSON error page
                return e.code, {"status": "error", "error": str(e)}

    def query(self, expr):
        return self.get("/api/v1/query", query=expr)


def substitute(expr, variables):
    """Grafana-style substitution: ${name:fmt}, ${name} and $name, longest names first."""
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in variables:
            raise KeyError(name)
        return variables[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(__\w+)|\$(\w+)", repl, expr)


def walk_panels(panels):
    for p in panels:
        if p.get("type") == "row":
            yield from walk_panels(p.get("panels", []))
        else:
            yield p


def summarize(body):
    """(series count, series with a number that is not NaN) of a query answer."""
    data = body.get("data", {})
    result = data.get("result", [])
    kind = data.get("resultType")
    if kind == "scalar":
        v = float(result[1])
        return 1, 0 if math.isnan(v) else 1
    numbers = 0
    for s in result:
        values = s.get("values") or ([s["value"]] if "value" in s else [])
        if any(not math.isnan(float(v[1])) for v in values):
            numbers += 1
    return len(result), numbers


def label_values(prom, query):
    m = re.fullmatch(r"\s*label_values\(\s*(?:(.+?)\s*,\s*)?(\w+)\s*\)\s*", query)
    if not m:
        raise ValueError(f"unsupported variable query {query!r} (only label_values(...) is)")
    metric, label = m.group(1), m.group(2)
    params = {"match[]": metric} if metric else {}
    status, body = prom.get(f"/api/v1/label/{label}/values", **params)
    if status != 200 or body.get("status") != "success":
        raise ValueError(f"{query}: HTTP {status} {body.get('error')}")
    return body["data"]


def carrier_problems(prom, panels):
    """Panels that do not honour $carrier (see the module doc), as failure lines."""
    has_carrier = {}

    def carrier_labelled(name):
        if name not in has_carrier:
            _, b = prom.query(f'count by (carrier) ({{__name__="{name}"}})')
            has_carrier[name] = any("carrier" in r["metric"] for r in b.get("data", {}).get("result", []))
        return has_carrier[name]

    problems = []
    for p in panels:
        per_carrier = False
        for t in p.get("targets", []):
            for m in SELECTOR.finditer(t.get("expr", "")):
                if carrier_labelled(m.group(1)):
                    per_carrier = True
                    if CARRIER_FILTER not in (m.group(2) or ""):
                        problems.append(f"panel {p['title']!r} {t.get('refId')}: {m.group(1)} has a carrier label "
                                        f"but its selector ignores $carrier")
        if not per_carrier and NOT_PER_CARRIER not in p.get("description", ""):
            problems.append(f"panel {p['title']!r}: no carrier label in its metrics, and its description does "
                            f"not say \"{NOT_PER_CARRIER}\"")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prom", required=True)
    ap.add_argument("--dashboard", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--job", default="dlrgate-gateway")
    ap.add_argument("--rate-interval", default="30s")
    ap.add_argument("--interval", default="10s")
    ap.add_argument("--range", default="120s")
    ap.add_argument("--driven", default="",
                    help="comma-separated counters the load drives on purpose: each should be above 0")
    ap.add_argument("--strict-events", action="store_true",
                    help="a driven counter still at 0 is a failure (default: a warning)")
    a = ap.parse_args()
    prom = Prom(a.prom)
    failures = []

    # ---- the target
    status, body = prom.get("/api/v1/targets")
    ups = [t for t in body.get("data", {}).get("activeTargets", []) if t.get("labels", {}).get("job") == a.job]
    if not ups or any(t.get("health") != "up" for t in ups):
        failures.append(f"target {a.job}: {[(t.get('scrapeUrl'), t.get('health'), t.get('lastError')) for t in ups]}")
    print(f"target {a.job}: " + ", ".join(f"{t.get('scrapeUrl')} {t.get('health')}" for t in ups))

    # ---- metric families
    missing = []
    for fam in EXPECTED_FAMILIES:
        _, b = prom.query(f'count({{__name__="{fam}"}})')
        if not b.get("data", {}).get("result"):
            missing.append(fam)
    print(f"metric families present: {len(EXPECTED_FAMILIES) - len(missing)}/{len(EXPECTED_FAMILIES)}"
          + (f"; MISSING: {', '.join(missing)}" if missing else ""))
    failures += [f"metric family {m} not scraped" for m in missing]

    # ---- dashboard variables
    dash = json.load(open(a.dashboard))
    base_vars = {"__rate_interval": a.rate_interval, "__interval": a.interval, "__range": a.range,
                 "__range_s": str(int(re.sub(r"\D", "", a.range) or 0)), "__interval_ms": "10000"}
    carrier_sets = [("All", base_vars)]
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        try:
            values = label_values(prom, substitute(q, base_vars))
        except Exception as e:  # noqa: BLE001
            failures.append(f"variable {v['name']}: {e}")
            values = []
        print(f"variable {v['name']}: {q} -> {values}")
        if not values:
            failures.append(f"variable {v['name']}: no values")
            continue
        all_value = v.get("allValue") or "(" + "|".join(map(re.escape, values)) + ")"
        carrier_sets = [(f"{v['name']}=All", {**vars_, v["name"]: all_value}) for _, vars_ in carrier_sets]
        carrier_sets += [(f"{v['name']}={x}", {**base_vars, v["name"]: re.escape(x)}) for x in values]

    # ---- panels
    rows = []
    for label, variables in carrier_sets:
        for p in walk_panels(dash["panels"]):
            targets = p.get("targets", [])
            if not targets:
                failures.append(f"panel {p.get('title')!r} has no query")
            for t in targets:
                expr = t.get("expr", "")
                try:
                    q = substitute(expr, variables)
                except KeyError as e:
                    failures.append(f"{label} panel {p['title']!r} {t.get('refId')}: unknown variable {e}")
                    continue
                status, b = prom.query(q)
                if status != 200 or b.get("status") != "success":
                    rows.append((label, p["title"], t.get("refId"), "ERROR", 0, 0))
                    failures.append(f"{label} panel {p['title']!r} {t.get('refId')}: {b.get('errorType')}: "
                                    f"{b.get('error')}\n      query: {q}")
                    continue
                n, numbers = summarize(b)
                verdict = "ok" if numbers else ("NaN only" if n else "NO DATA")
                rows.append((label, p["title"], t.get("refId"), verdict, n, numbers))
                if not numbers:
                    failures.append(f"{label} panel {p['title']!r} {t.get('refId')}: {verdict}\n      query: {q}")

    # one line per panel target, one column per variable set: series returned (NaN: only NaN; -: none)
    sets = [label for label, _ in carrier_sets]
    cells = {}
    order = []
    for label, title, ref, verdict, n, numbers in rows:
        key = (title, ref)
        if key not in cells:
            cells[key] = {}
            order.append(key)
        cells[key][label] = {"ok": str(n), "NaN only": "NaN", "NO DATA": "-", "ERROR": "ERR"}[verdict]
    width = max([len(t) for t, _ in order] + [5])
    cols = [max(len(x), 4) for x in sets]
    print()
    print("series per panel query (columns: dashboard variables; NaN = only NaN values, - = no data, ERR = error)")
    print(f"{'panel':<{width}}  ref  " + "  ".join(f"{x:>{w}}" for x, w in zip(sets, cols)))
    for title, ref in order:
        print(f"{title:<{width}}  {ref:<3}  "
              + "  ".join(f"{cells[(title, ref)].get(x, '?'):>{w}}" for x, w in zip(sets, cols)))
    panels = {t for t, _ in order}
    print(f"\npanels: {len(panels)}; panel queries: {len(order)}; evaluated {len(rows)} times "
          f"({sum(1 for r in rows if r[3] == 'ok')} with data)")

    carrier = carrier_problems(prom, list(walk_panels(dash["panels"])))
    print(f"$carrier: {'honoured by every panel' if not carrier else f'{len(carrier)} problem(s)'}")
    failures += carrier

    # ---- what the load produced (information: these counters exist at 0 even without events)
    print("\nevents during the run:")
    for name in ["dlrgate_submits_total", "dlrgate_receipts_total", "dlrgate_messages_finalized_total",
                 "dlrgate_expiries_total",
                 "dlrgate_receipts_late_total", "dlrgate_receipts_orphaned_total", "dlrgate_receipts_duplicate_total",
                 "dlrgate_receipts_unknown_stat_total", "dlrgate_receipts_throttled_total",
                 "dlrgate_receipts_refused_total", "dlrgate_suppressions_added_total",
                 "dlrgate_suppressions_lifted_total", "dlrgate_commit_seconds_count"]:
        _, b = prom.query(f"sum({name})")
        r = b.get("data", {}).get("result", [])
        print(f"  {name:<40} {float(r[0]['value'][1]) if r else float('nan'):>10.0f}")
    warnings = []
    for name in filter(None, a.driven.split(",")):
        _, b = prom.query(f"sum({name})")
        r = b.get("data", {}).get("result", [])
        if not r or float(r[0]["value"][1]) <= 0:
            warnings.append(f"{name}: driven by the load but still 0 (the gateway does not count these events)")
    for w in warnings:
        print(("FAIL " if a.strict_events else "WARNING ") + w)
    if a.strict_events:
        failures += warnings

    # ---- rules
    text = open(a.rules).read()
    declared = re.findall(r"^\s*-\s*(alert|record):\s*(\S+)", text, flags=re.M)
    status, body = prom.get("/api/v1/rules")
    loaded = [r for g in body.get("data", {}).get("groups", []) for r in g.get("rules", [])]
    print(f"\nrules: {len(declared)} in {a.rules}, {len(loaded)} loaded by Prometheus")
    if len(loaded) != len(declared):
        failures.append(f"rules: {len(declared)} declared but {len(loaded)} loaded")
    print(f"{'rule':<42} {'type':<9} {'health':<7} {'parse':<6} series  state")
    for r in loaded:
        status, b = prom.query(r["query"])
        parsed = status == 200 and b.get("status") == "success"
        n = len(b.get("data", {}).get("result", [])) if parsed else 0
        print(f"{r['name']:<42} {r['type']:<9} {r.get('health', '?'):<7} {'ok' if parsed else 'ERROR':<6} "
              f"{n:>6}  {r.get('state', '-')}")
        if not parsed:
            failures.append(f"rule {r['name']}: {b.get('errorType')}: {b.get('error')}")
        if r.get("health") == "err":
            failures.append(f"rule {r['name']}: unhealthy: {r.get('lastError')}")

    print()
    if failures:
        print(f"FAILED: {len(failures)} problem(s)")
        for f in failures:
            print("  - " + f)
        return 1
    print("all panel queries returned data and all rule expressions parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
