#!/usr/bin/env node
'use strict';
// An SMSC built on node's smpp package (createServer): any ESME binds to it (dlrgate in its client role, Kannel's
// bearerbox, ...). Submits are taken on transmitter/transceiver binds, receipts go out on receiver/transceiver
// binds of the same system_id. The simulated network and the ledger are those of carrier.js, so the same check
// (check.js) compares the ledger with dlrgate's reports whichever side binds.
const fs = require('fs');
const smpp = require('smpp');
const { Ledger } = require('./lib/ledger');
const { Network, outcomeOf } = require('./lib/network');
const { Reassembler, keepRawOctets, partOf } = require('./lib/concat');
const options = require('./lib/options');
const { serveSession, stopper } = require('./lib/session');

const USAGE = `node smsc.js [options]: an SMSC that ESMEs bind to
  --host HOST              listen address [127.0.0.1]
  --port PORT              0: a free port, printed and written to --port-file [0]
  --port-file FILE         where the port is written once listening
  --system-id ID           the system_id ESMEs must bind with [node]
  --password PW            [node-pw]
  --max-sessions N         bound sessions at most, further binds get ESME_RBINDFAIL [8]
  --reassemble true        reassemble concatenated messages (UDH 8/16-bit reference, SAR) from the raw octets,
                           decode them by data_coding and write the texts to the ledger's "concat" section; each
                           part's outcome then comes from the destination and the part number [false]
  --tls-cert FILE          listen with TLS (node's tls module), this PEM certificate chain... [plain TCP]
  --tls-key FILE           ...and this PEM private key
${options.NETWORK_USAGE}`;

const opts = options.parse(process.argv.slice(2), { host: '127.0.0.1', port: '0', 'port-file': '',
  'max-sessions': '8', reassemble: 'false', 'tls-cert': '', 'tls-key': '' }, USAGE);
if (!opts['tls-cert'] !== !opts['tls-key']) {
  console.error('--tls-cert and --tls-key go together');
  process.exit(64);
}
const tls = opts['tls-cert'] ? { cert: fs.readFileSync(opts['tls-cert']), key: fs.readFileSync(opts['tls-key']) } : {};
const log = options.logger('smsc', opts);
const ledger = new Ledger(opts.ledger, { role: 'SMSC (the ESME binds to node)',
  library: 'smpp (node) ' + require('smpp/package.json').version, systemId: opts['system-id'] });
const settings = options.networkSettings(opts, ledger, log);
if (opts.reassemble === 'true') {
  keepRawOctets();
  const texts = new Reassembler();
  ledger.section('concat', () => texts.snapshot());
  settings.onAccepted = (pdu, id) => texts.add(pdu, id);
  // parts of one message get different outcomes, so that the check sees dlrgate's rule over its parts at work
  settings.outcomeOf = (pdu) => {
    let p = null;
    try {
      p = partOf(pdu);
    } catch (e) {
      // not a valid part: the reassembler says so in its problems
    }
    return outcomeOf(p && p.scheme ? `${pdu.destination_addr}#${p.seq}` : pdu.destination_addr);
  };
}
const network = new Network(settings);
const maxSessions = options.int(opts, 'max-sessions');
const bound = new Set();
let stopping = false;

// From the ESME's side a transmitter sends us submits and a receiver takes our receipts.
const takesSubmits = (s) => s.bindType === 'transmitter' || s.bindType === 'transceiver';
const sendsReceipts = (s) => s.bindType === 'receiver' || s.bindType === 'transceiver';

network.sessions = () => [...bound].filter(sendsReceipts);
network.dropAll = () => {
  for (const s of server.sessions.slice()) s.destroy();
};

// Requests this SMSC answers itself; any other request gets its response with ESME_RINVCMDID (unknown command ids
// are answered generic_nack by the library's PDU.response).
const HANDLED = new Set(['bind_transceiver', 'bind_transmitter', 'bind_receiver', 'submit_sm', 'enquire_link',
  'unbind']);

const server = smpp.createServer(tls, (session) => {
  const peer = `${session.socket.remoteAddress}:${session.socket.remotePort}`;
  for (const type of ['transceiver', 'transmitter', 'receiver']) {
    session.on(`bind_${type}`, (pdu) => {
      let status = 0;
      if (session.bindType) status = smpp.ESME_RALYBND;
      else if (pdu.system_id !== opts['system-id']) status = smpp.ESME_RINVSYSID;
      else if (pdu.password !== opts.password) status = smpp.ESME_RINVPASWD;
      else if (bound.size >= maxSessions) status = smpp.ESME_RBINDFAIL;
      if (status) {
        ledger.count('bindsRefused');
        log(`bind_${type} from ${peer} as '${pdu.system_id}' refused: 0x${status.toString(16)}`);
        session.send(pdu.response({ command_status: status }));
        return;
      }
      session.bindType = type;
      bound.add(session);
      ledger.count('bindsOk');
      log.info(`${peer} bound as ${type} ('${pdu.system_id}', interface 0x${(pdu.interface_version || 0).toString(16)})`);
      session.send(pdu.response({ system_id: 'nodesmsc' }));
    });
  }
  serveSession(session, { network, ledger, takesSubmits: () => takesSubmits(session), onUnbind: () => {
    log.info(`${peer} unbinds (${session.bindType})`);
    bound.delete(session);
  } });
  session.on('pdu', (pdu) => {
    if (!pdu.isResponse() && !HANDLED.has(pdu.command)) {
      session.send(pdu.response({ command_status: smpp.ESME_RINVCMDID }));
    }
  });
  session.on('error', (e) => log.info(`${peer}: ${e.code || e.message}`));
  session.on('close', () => {
    if (bound.delete(session) && !stopping) ledger.count('boundSessionsClosed');
    network.onSessionClosed(session);
  });
});

stopper({ network, ledger, log, maxSeconds: options.int(opts, 'max-seconds'), boundSessions: () => [...bound],
  before: () => {
    stopping = true;
    server.close();
  } });

server.on('error', (e) => {
  log(`listen failed: ${e.message}`);
  process.exit(1);
});
server.listen(Number(opts.port), opts.host, () => {
  const port = server.address().port;
  if (opts['port-file']) fs.writeFileSync(opts['port-file'], String(port));
  log(`listening on ${opts.host}:${port}${tls.cert ? ' (TLS)' : ''} for system_id '${opts['system-id']}'`);
});
ledger.startWriting();
