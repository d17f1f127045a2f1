#!/usr/bin/env node
'use strict';
// The application's end of Kannel's delivery reports: smsbox fetches each message's dlr-url with the report
// substituted in (type %d, the SMSC's id %F, its reply %A). Every call is appended to --out as one JSON line
// (with the time it came), and answered 200 at once. Plain node, no packages.
const fs = require('fs');
const http = require('http');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
  return pairs;
}, []));
if (!args.out || !args['port-file']) {
  console.error('node dlr-receiver.js --out FILE.jsonl --port-file FILE');
  process.exit(64);
}
const out = fs.createWriteStream(args.out, { flags: 'a' });
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  out.write(JSON.stringify(Object.assign({ at: Date.now(), path: url.pathname },
    Object.fromEntries(url.searchParams))) + '\n');
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('ok\n');
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => fs.writeFileSync(args['port-file'], String(server.address().port)));
process.on('SIGTERM', () => server.close(() => out.end(() => process.exit(0))));
