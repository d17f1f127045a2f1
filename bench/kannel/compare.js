#!/usr/bin/env node
'use strict';
// Kannel's delivery reports against the SMSC's ledger (interop/smsc.js): every message sent has one final report
// and it says what the SMSC reported for that number. The report type (%d) is a bit mask: 1 delivered,
// 2 not delivered, 4 buffered (intermediate), 8/16 accepted/refused by the SMSC; Kannel 1.4.5 reports EXPIRED as
// 34 (2 + 32), so a report is final when it has bit 1 or 2. Prints one JSON line;
// exit 0 when they agree, 1 otherwise (the problems on stderr). --wait-s: poll until they agree or time is up.
const fs = require('fs');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
  return pairs;
}, []));
const expect = Number(args.expect);

function compare() {
  const problems = [];
  if (!fs.existsSync(args.ledger)) return { problems: ['no ledger yet'], figures: {} };
  const ledger = JSON.parse(fs.readFileSync(args.ledger, 'utf8'));
  const statByNumber = {};
  for (const m of Object.values(ledger.messages)) {
    if (m.acked) statByNumber[m.dest.replace(/^\+/, '')] = m.stat;
  }
  const byType = {};
  const finals = {};
  let first = Infinity;
  let last = 0;
  const lines = fs.existsSync(args.dlrs) ? fs.readFileSync(args.dlrs, 'utf8').split('\n').filter((l) => l) : [];
  for (const line of lines) {
    const d = JSON.parse(line);
    byType[d.type] = (byType[d.type] || 0) + 1;
    const type = Number(d.type);
    if (!(type & 3)) continue;
    const number = d.ref.replace(/^\+/, '');
    if (finals[number]) problems.push(`${number}: a second final report (type ${type})`);
    finals[number] = d.type;
    first = Math.min(first, d.at);
    last = Math.max(last, d.at);
    const stat = statByNumber[number];
    if (stat && (stat === 'DELIVRD') !== ((type & 1) === 1)) {
      problems.push(`${number}: Kannel reported type ${type}, the SMSC ${stat}`);
    }
  }
  const n = Object.keys(finals).length;
  if (n !== expect) problems.push(`${n} numbers have a final report, expected ${expect}`);
  const acked = Object.keys(statByNumber).length;
  if (acked !== expect) problems.push(`the SMSC's ledger has ${acked} receipts acknowledged, expected ${expect}`);
  return { problems, figures: { finals: n, reportsByType: byType, smscAcked: acked, counters: ledger.counters,
    firstReportAt: first === Infinity ? null : first, lastReportAt: last || null } };
}

(async () => {
  const deadline = Date.now() + Number(args['wait-s'] || 0) * 1000;
  let r;
  for (;;) {
    r = compare();
    if (!r.problems.length || Date.now() >= deadline) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  console.log(JSON.stringify(r.figures));
  if (r.problems.length) {
    r.problems.slice(0, 20).forEach((p) => console.error('  ' + p));
    process.exit(1);
  }
})();
