#!/usr/bin/env node
'use strict';
// Sends the long-message texts (lib/long-texts.js) through dlrgate's API (POST /api/v1/messages), one number each,
// and writes what was sent ({number, text, id, scheme}) for check-texts.js.
const fs = require('fs');
const { parse } = require('./lib/options');

const { textsFor } = require('./lib/long-texts');

const USAGE = `node send-texts.js --api URL --key KEY --prefix +4477008X --scheme udh8|udh16|sar --out FILE`;
const opts = parse(process.argv.slice(2), { api: '', key: '', prefix: '', scheme: '', out: '' }, USAGE);
for (const k of ['api', 'key', 'prefix', 'scheme', 'out']) {
  if (!opts[k]) {
    console.error(`--${k} is needed\n${USAGE}`);
    process.exit(64);
  }
}

(async () => {
  const TEXTS = textsFor(opts.scheme);
  const sent = [];
  for (let i = 0; i < TEXTS.length; i++) {
    const number = opts.prefix + String(i).padStart(13 - opts.prefix.length, '0');
    const res = await fetch(`${opts.api}/api/v1/messages`, {
      method: 'POST', signal: AbortSignal.timeout(15000),
      headers: { Authorization: `Bearer ${opts.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: number, content: TEXTS[i] }),
    });
    const body = await res.text();
    if (res.status !== 202) {
      console.error(`POST /api/v1/messages to ${number}: HTTP ${res.status} ${body}`);
      process.exit(1);
    }
    sent.push({ number, text: TEXTS[i], id: JSON.parse(body).id, scheme: opts.scheme });
  }
  fs.writeFileSync(opts.out, JSON.stringify(sent, null, 1));
  console.log(`${sent.length} texts sent to ${opts.prefix}...`);
})();
