#!/usr/bin/env node
'use strict';
// Long messages, checked from the node SMSC's side (smsc.js --reassemble true): every text sent through dlrgate's
// API came back, reassembled from its parts by this independent SMPP peer, byte for byte; in the expected form
// (UDH with an 8- or 16-bit reference, or SAR; no header for a text that fits one SMS); in as many parts as the
// rule gives (153 GSM-7 septets or 67 UCS-2 units a part, 152/66 with a 16-bit reference, 160/70 for one part),
// none split inside a GSM escape or a UTF-16 surrogate pair; and dlrgate's tab for each message is the one its rule gives from the parts' receipts
// as the ledger reported them (first match wins: Hard bounce, Deleted, Soft bounce, Pending, Delivered). Compares
// the message tab only (GET /api/v1/messages/{id}); the per-part figures of dlrgate's report are not compared.
// Prints one JSON line (the figures) and exits 0 when all agree, 1 with the differences when they do not.
const fs = require('fs');
const { parse } = require('./lib/options');
const gsm7 = require('./lib/gsm7');
const { partSize } = require('./lib/long-texts');

const USAGE = `node check-texts.js --api URL --key KEY --ledger FILE[,FILE] --sent FILE [--timeout-s S] [--label L]
  --sent: JSON list of {number, text, id, scheme}: what was sent through dlrgate's API (id: dlrgate's message id,
          scheme: udh8 | udh16 | sar, the form the carrier is configured for)`;
let opts;
const TAB_OF = { DELIVRD: 'delivered', UNDELIV: 'hard-bounces', REJECTD: 'hard-bounces', EXPIRED: 'soft-bounces',
  DELETED: 'deleted' };

/** dlrgate's rule over the parts' tabs, restated here from the issue (not read from dlrgate). */
function messageTab(partTabs) {
  for (const t of ['hard-bounces', 'deleted', 'soft-bounces', 'pending']) if (partTabs.includes(t)) return t;
  return 'delivered';
}

/**
 * How the text must be cut: GSM-7 when every character has a code (160 septets in one part, else 153 a part, 152
 * with a 16-bit reference; an escaped character never cut), else UCS-2 (70 UTF-16 units in one part, else 67, or 66;
 * a surrogate pair never cut). Returns { dataCoding, parts: [text of each part] }.
 */
function expectedSplit(text, scheme) {
  const gsm = gsm7.septets(text) >= 0;
  const size = (c) => (gsm ? gsm7.septets(c) : c.length);
  const total = [...text].reduce((n, c) => n + size(c), 0);
  const perPart = partSize(scheme);
  const limit = total <= (gsm ? 160 : 70) ? Infinity : (gsm ? perPart.gsm : perPart.ucs2);
  const parts = [''];
  let used = 0;
  for (const c of text) {
    if (used + size(c) > limit) {
      parts.push('');
      used = 0;
    }
    parts[parts.length - 1] += c;
    used += size(c);
  }
  return { dataCoding: gsm ? 0 : 8, parts };
}

/** Where two strings first differ, shown with the neighbouring characters escaped. */
function firstDifference(want, got) {
  let i = 0;
  while (i < want.length && want[i] === got[i]) i++;
  const show = (s) => JSON.stringify(s.slice(Math.max(0, i - 4), i + 4));
  return `first difference at UTF-16 index ${i}: sent ${show(want)}, reassembled ${show(got)}`;
}

async function get(path) {
  const res = await fetch(opts.api + path, { headers: { Authorization: `Bearer ${opts.key}` },
    signal: AbortSignal.timeout(15000) });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

function readLedgers() {
  const out = { messages: {}, concat: [], problems: [], open: 0 };
  for (const file of opts.ledger.split(',')) {
    const l = JSON.parse(fs.readFileSync(file, 'utf8'));
    Object.assign(out.messages, l.messages);
    if (!l.concat) throw new Error(`${file} has no "concat" section: was smsc.js run with --reassemble true?`);
    out.concat.push(...l.concat.messages);
    out.problems.push(...l.concat.problems);
    out.open += l.concat.open;
  }
  return out;
}

async function compare(sent) {
  const problems = [];
  const ledger = readLedgers();
  problems.push(...ledger.problems.map((p) => `node SMSC: ${p}`));
  const byNumber = {};
  for (const m of ledger.concat) (byNumber['+' + m.dest.replace(/^\+/, '')] ||= []).push(m);
  const figures = { messages: 0, parts: 0, schemes: {}, tabs: {} };
  for (const s of sent) {
    const got = byNumber[s.number] || [];
    if (got.length !== 1) {
      problems.push(`${s.number}: ${got.length} messages reassembled, expected 1 (${ledger.open} open)`);
      continue;
    }
    const m = got[0];
    const want = expectedSplit(s.text, s.scheme);
    if (!Buffer.from(m.text, 'utf8').equals(Buffer.from(s.text, 'utf8'))) {
      problems.push(`${s.number}: text differs, ${firstDifference(s.text, m.text)}`);
    }
    const scheme = want.parts.length === 1 ? null : s.scheme;
    if (m.scheme !== scheme) problems.push(`${s.number}: sent as ${m.scheme || 'one part'}, expected ${scheme || 'one part'}`);
    if (m.parts.length !== want.parts.length) {
      problems.push(`${s.number}: ${m.parts.length} parts, expected ${want.parts.length}`);
    }
    m.parts.forEach((p, i) => {
      const octets = Buffer.from(p.octets, 'hex');
      if (p.dataCoding !== want.dataCoding) {
        problems.push(`${s.number} part ${p.seq}: data_coding ${p.dataCoding}, expected ${want.dataCoding}`);
      }
      if (p.dataCoding === 0 && octets.length && octets[octets.length - 1] === gsm7.ESC) {
        problems.push(`${s.number} part ${p.seq}: ends inside a GSM escape`);
      }
      if (p.dataCoding === 8 && octets.length >= 2 && (octets.readUInt16BE(octets.length - 2) & 0xfc00) === 0xd800) {
        problems.push(`${s.number} part ${p.seq}: ends inside a surrogate pair`);
      }
      if (want.parts[i] !== undefined && p.text !== want.parts[i]) {
        problems.push(`${s.number} part ${p.seq}: cut elsewhere than expected, ${firstDifference(want.parts[i], p.text)}`);
      }
    });
    // dlrgate's tab against its rule over the receipts this side sent and had acknowledged for the parts
    const stats = m.parts.map((p) => ledger.messages[p.id]);
    if (stats.some((x) => !x || !x.acked)) {
      problems.push(`${s.number}: not every part's receipt acknowledged yet`);
      continue;
    }
    const tab = messageTab(stats.map((x) => TAB_OF[x.stat]));
    const state = await get(`/api/v1/messages/${s.id}`);
    if (state.tab !== tab) {
      problems.push(`${s.number}: dlrgate ${state.tab}, by the rule over its parts (${stats.map((x) => x.stat)}) ${tab}`);
    }
    figures.messages++;
    figures.parts += m.parts.length;
    figures.schemes[m.scheme || 'single'] = (figures.schemes[m.scheme || 'single'] || 0) + 1;
    figures.tabs[tab] = (figures.tabs[tab] || 0) + 1;
  }
  return { problems, figures };
}

async function main() {
  opts = parse(process.argv.slice(2), { api: '', key: '', sent: '', 'timeout-s': '60', label: '' }, USAGE);
  for (const k of ['api', 'key', 'ledger', 'sent']) {
    if (!opts[k]) {
      console.error(`--${k} is needed\n${USAGE}`);
      process.exit(64);
    }
  }
  const sent = JSON.parse(fs.readFileSync(opts.sent, 'utf8'));
  const deadline = Date.now() + Number(opts['timeout-s']) * 1000;
  let last;
  for (;;) {
    try {
      last = await compare(sent);
    } catch (e) {
      last = { problems: [e.message] };
    }
    if (!last.problems.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (last.problems.length) {
    console.error(`check-texts ${opts.label}: ${last.problems.length} problems:`);
    last.problems.slice(0, 30).forEach((p) => console.error('  ' + p));
    process.exit(1);
  }
  console.log(JSON.stringify(Object.assign({ check: opts.label, agree: true }, last.figures)));
}

if (require.main === module) main();

module.exports = { expectedSplit, messageTab };
