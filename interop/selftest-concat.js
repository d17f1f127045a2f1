#!/usr/bin/env node
'use strict';
// Checks the checker, without dlrgate: a node ESME (the smpp package's client) sends lib/long-texts.js to
// smsc.js --reassemble true, cut by check-texts.js's own rule, as UDH 8-bit, UDH 16-bit and SAR parts; a stand-in
// for dlrgate's GET /api/v1/messages/{id} answers each message's tab by the parts rule. check-texts.js must agree.
// Then one text is sent cut wrongly (an emoji split across two parts) and check-texts.js must refuse it, naming it.
// Exits 0 when both hold. Used by .ci/interop before dlrgate starts; takes a few seconds.
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');
const smpp = require('smpp');
const gsm7 = require('./lib/gsm7');
const { textsFor } = require('./lib/long-texts');
const { expectedSplit, messageTab } = require('./check-texts');
const { outcomeOf } = require('./lib/network');

const TAB_OF = { DELIVRD: 'delivered', UNDELIV: 'hard-bounces', REJECTD: 'hard-bounces', EXPIRED: 'soft-bounces',
  DELETED: 'deleted' };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'concat-selftest-'));
const fail = (why) => {
  console.error(`selftest-concat: FAILED: ${why}`);
  process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function octets(text, dataCoding) {
  return dataCoding === 0 ? gsm7.encode(text) : Buffer.from(text, 'utf16le').swap16();
}

/** The submit_sm fields of part seq of total, tied by scheme. */
function partPdu(number, scheme, ref, seq, parts, dataCoding) {
  const body = octets(parts[seq - 1], dataCoding);
  const pdu = { destination_addr: number, source_addr: 'SELFTEST', registered_delivery: 1, data_coding: dataCoding };
  if (parts.length === 1) return Object.assign(pdu, { short_message: body });
  if (scheme === 'sar') {
    return Object.assign(pdu, { short_message: body, sar_msg_ref_num: ref, sar_total_segments: parts.length,
      sar_segment_seqnum: seq });
  }
  const udh = scheme === 'udh8' ? Buffer.from([5, 0x00, 3, ref & 0xff, parts.length, seq])
    : Buffer.from([6, 0x08, 4, ref >> 8, ref & 0xff, parts.length, seq]);
  return Object.assign(pdu, { esm_class: 0x40, short_message: Buffer.concat([udh, body]) });
}

(async () => {
  const portFile = path.join(work, 'port');
  const ledger = path.join(work, 'ledger.json');
  const smsc = spawn(process.execPath, [path.join(__dirname, 'smsc.js'), '--port', '0', '--port-file', portFile,
    '--ledger', ledger, '--reassemble', 'true', '--receipt-delay-ms', '0..10', '--enroute-every', '0',
    '--max-seconds', '60', '--quiet', 'true'], { stdio: 'inherit' });
  process.on('exit', () => smsc.kill('SIGTERM'));
  for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) await sleep(50);
  const port = Number(fs.readFileSync(portFile, 'utf8'));

  const session = smpp.connect({ host: '127.0.0.1', port });
  const call = (cmd, fields) => new Promise((resolve) => session[cmd](fields, resolve));
  session.on('deliver_sm', (pdu) => session.send(pdu.response()));
  session.on('data_sm', (pdu) => session.send(pdu.response()));
  await new Promise((r) => session.on('connect', r));
  const bound = await call('bind_transceiver', { system_id: 'node', password: 'node-pw' });
  if (bound.command_status) fail(`bind: 0x${bound.command_status.toString(16)}`);

  // what dlrgate's API would say: the id of each message, and its tab by the rule over the parts' outcomes
  const sent = [];
  const tabs = {};
  let ref = 250; // 8-bit references wrap past 255
  for (const [k, scheme] of ['udh8', 'udh16', 'sar'].entries()) {
    const TEXTS = textsFor(scheme);
    for (let i = 0; i < TEXTS.length; i++) {
      const number = `+4477009${k}${String(i).padStart(4, '0')}`;
      const { dataCoding, parts } = expectedSplit(TEXTS[i], scheme);
      ref = (ref + 1) % (scheme === 'udh8' ? 256 : 65536);
      for (let seq = 1; seq <= parts.length; seq++) {
        const resp = await call('submit_sm', partPdu(number.slice(1), scheme, ref, seq, parts, dataCoding));
        if (resp.command_status) fail(`${number} part ${seq}: 0x${resp.command_status.toString(16)}`);
      }
      const id = sent.length + 1;
      const dest = number.slice(1);
      tabs[id] = messageTab(parts.map((_, j) => TAB_OF[outcomeOf(parts.length === 1 ? dest : `${dest}#${j + 1}`)]));
      sent.push({ number, text: TEXTS[i], id, scheme });
    }
  }
  const api = http.createServer((req, res) => {
    const m = /^\/api\/v1\/messages\/(\d+)$/.exec(req.url);
    res.writeHead(m && tabs[m[1]] ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(m && tabs[m[1]] ? { id: Number(m[1]), tab: tabs[m[1]] } : { error: 'not found' }));
  });
  await new Promise((r) => api.listen(0, '127.0.0.1', r));
  // asynchronously: the stand-in API answers from this process
  const check = (sentFile, timeout) => new Promise((resolve) => {
    const c = spawn(process.execPath, [path.join(__dirname, 'check-texts.js'), '--api',
      `http://127.0.0.1:${api.address().port}`, '--key', 'k', '--ledger', ledger, '--sent', sentFile, '--timeout-s',
      String(timeout), '--label', 'selftest']);
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });

  const good = path.join(work, 'sent.json');
  fs.writeFileSync(good, JSON.stringify(sent));
  const ok = await check(good, 20);
  if (ok.status !== 0) fail(`check-texts disagrees with a correct run:\n${ok.stderr}`);

  // an emoji cut in two: part 1 ends with its high surrogate
  const text = textsFor('udh8')[6];
  const units = Buffer.from(text, 'utf16le').swap16();
  const cut = [units.subarray(0, 134), units.subarray(134)];
  for (let seq = 1; seq <= 2; seq++) {
    const udh = Buffer.from([5, 0x00, 3, 7, 2, seq]);
    await call('submit_sm', { destination_addr: '447700990001', source_addr: 'SELFTEST', registered_delivery: 1,
      data_coding: 8, esm_class: 0x40, short_message: Buffer.concat([udh, cut[seq - 1]]) });
  }
  tabs[999] = 'delivered';
  const bad = path.join(work, 'sent-bad.json');
  fs.writeFileSync(bad, JSON.stringify([{ number: '+447700990001', text, id: 999, scheme: 'udh8' }]));
  const refused = await check(bad, 3);
  if (refused.status !== 1 || !/ends inside a surrogate pair/.test(refused.stderr)) {
    fail(`check-texts did not refuse an emoji cut in two (exit ${refused.status}):\n${refused.stderr}`);
  }
  console.log(JSON.parse(ok.stdout.trim().split('\n').pop()));
  console.log(`selftest-concat: ok (${sent.length} texts in 3 forms agree; a split emoji is refused:`
    + ` ${refused.stderr.split('\n').find((l) => /surrogate/.test(l)).trim()})`);
  session.close();
  api.close();
  await new Promise((r) => {
    smsc.on('exit', r);
    smsc.kill('SIGTERM'); // it writes its final ledger, then exits
  });
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(0);
})().catch((e) => fail(e.stack));
