#!/usr/bin/env node
'use strict';
// Compares the node side's ledger with dlrgate's report API, until they agree or the time is up:
//  - every number of the campaign has a final receipt acknowledged in the ledger (nothing lost on the carrier side),
//  - dlrgate's tab counts equal the ledger's, nothing is Pending,
//  - and number by number (the tabs as CSV): dlrgate's tab and stat are those the ledger reported for that number.
// The stat -> tab mapping below is the README's table, restated here on purpose rather than read from dlrgate.
// Prints one JSON line (the figures) and exits 0 when they agree, 1 with the differences when they do not.
const fs = require('fs');
const { parse } = require('./lib/options');

const USAGE = `node check.js --api URL --key KEY --campaign ID --ledger FILE --expect N [--timeout-s S]
  --ledger may list several files, comma-separated (e.g. one per carrier feeding the same campaign)
  --allow-throttle-failures true: a number dlrgate failed after throttled submit attempts (cause submit-failed)
    counts as accounted for, not as a disagreement; the figure is printed (throttleFailed)`;
const opts = parse(process.argv.slice(2), { api: '', key: '', campaign: '', expect: '', 'timeout-s': '120',
  label: '', 'allow-throttle-failures': 'false' }, USAGE);
for (const k of ['api', 'key', 'campaign', 'ledger', 'expect']) {
  if (!opts[k]) {
    console.error(`--${k} is needed\n${USAGE}`);
    process.exit(64);
  }
}
const TAB_OF = { DELIVRD: 'delivered', UNDELIV: 'hard-bounces', REJECTD: 'hard-bounces', EXPIRED: 'soft-bounces',
  DELETED: 'deleted' };
const TABS = ['delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted'];
const expect = Number(opts.expect);

async function get(path, csv) {
  const res = await fetch(opts.api + path, { headers: { Authorization: `Bearer ${opts.key}` },
    signal: AbortSignal.timeout(15000) });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return csv ? res.text() : res.json();
}

function readLedgers() {
  const merged = { counters: {}, receiptsAckedBy: {}, finals: {}, firstSubmit: null, final: true };
  for (const file of opts.ledger.split(',')) {
    const l = JSON.parse(fs.readFileSync(file, 'utf8'));
    merged.final = merged.final && l.meta.final;
    merged.firstSubmit = merged.firstSubmit || l.firstSubmit;
    for (const [k, v] of Object.entries(l.counters)) merged.counters[k] = (merged.counters[k] || 0) + v;
    for (const [k, v] of Object.entries(l.receiptsAckedBy)) merged.receiptsAckedBy[k] = (merged.receiptsAckedBy[k] || 0) + v;
    for (const m of Object.values(l.messages)) {
      if (!m.acked) continue;
      const number = '+' + m.dest.replace(/^\+/, '');
      (merged.finals[number] = merged.finals[number] || new Set()).add(m.stat);
    }
  }
  return merged;
}

function parseCsv(text) {
  // RFC 4180, as dlrgate writes it: quoted fields may hold commas, doubled quotes and line breaks
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((f) => Object.fromEntries(header.map((name, i) => [name, f[i]])));
}

async function compare() {
  const problems = [];
  const ledger = readLedgers();
  const report = await get(`/api/v1/campaigns/${opts.campaign}/report`);
  const total = TABS.reduce((n, t) => n + (report.tabs[t] || 0), 0);
  if (total !== expect || report.tabs.pending) {
    return { problems: [`dlrgate: ${report.tabs.pending || 0} of ${total} messages still pending, expected ${expect}`],
      ledger };
  }
  if (ledger.counters.submitsWithoutRegisteredDelivery) {
    problems.push(`${ledger.counters.submitsWithoutRegisteredDelivery} submit_sm without registered_delivery`);
  }
  for (const [number, stats] of Object.entries(ledger.finals)) {
    if (stats.size > 1) problems.push(`${number}: the ledger reported different stats ${[...stats]}`);
  }
  // number by number: dlrgate's tab and stat are what the ledger reported for that number
  const expected = Object.fromEntries(TABS.map((t) => [t, 0]));
  const seen = new Set();
  let throttleFailed = 0;
  for (const t of TABS) {
    for (const row of parseCsv(await get(`/api/v1/campaigns/${opts.campaign}/report/${t}?format=csv`, true))) {
      seen.add(row.number);
      const stats = ledger.finals[row.number];
      if (opts['allow-throttle-failures'] === 'true' && row.cause === 'submit-failed' && /throttled/.test(row.error)
          && !stats) {
        throttleFailed++; // failed by dlrgate after throttled attempts: accounted for, not lost (see the summary)
        expected[t]++;
        continue;
      }
      if (!stats) {
        problems.push(`${row.number}: dlrgate ${t} (${row.stat || row.cause}: ${row.error}), not final in the ledger`);
        continue;
      }
      const stat = [...stats][0];
      expected[TAB_OF[stat]]++;
      if (row.stat !== stat || row.tab !== TAB_OF[stat]) {
        problems.push(`${row.number}: dlrgate ${row.tab}/${row.stat}, ledger ${TAB_OF[stat]}/${stat}`);
      }
    }
  }
  for (const number of Object.keys(ledger.finals)) {
    if (!seen.has(number)) problems.push(`${number}: final in the ledger, in no tab of dlrgate's campaign`);
  }
  for (const t of TABS) {
    if ((report.tabs[t] || 0) !== expected[t]) {
      problems.push(`tab ${t}: dlrgate's report counts ${report.tabs[t] || 0}, its rows and the ledger ${expected[t]}`);
    }
  }
  const accounted = Object.keys(ledger.finals).length + throttleFailed;
  if (accounted !== expect) problems.push(`${accounted} numbers accounted for, expected ${expect}`);
  return { problems, ledger, expected, throttleFailed };
}

(async () => {
  const deadline = Date.now() + Number(opts['timeout-s']) * 1000;
  let last;
  for (;;) {
    try {
      last = await compare();
    } catch (e) {
      last = { problems: [e.message] };
    }
    if (!last.problems.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const { problems, ledger, expected, throttleFailed } = last;
  if (problems.length) {
    console.error(`check ${opts.label}: ledger and dlrgate disagree (${problems.length} problems):`);
    problems.slice(0, 20).forEach((p) => console.error('  ' + p));
    if (ledger) console.error(`  ledger counters: ${JSON.stringify(ledger.counters)}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ check: opts.label, agree: true, numbers: expect, tabs: expected, throttleFailed,
    receiptsAckedBy: ledger.receiptsAckedBy, counters: ledger.counters, firstSubmit: ledger.firstSubmit }));
})();
