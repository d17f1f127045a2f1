#!/usr/bin/env node
'use strict';
// A carrier built on node's smpp package (not on cloudhopper, which dlrgate is built on) that binds IN to
// dlrgate's SMPP server, as carriers do with dlrgate today: it takes dlrgate's submit_sm, answers with its own
// message ids and sends the receipts back as deliver_sm / data_sm. Binds are kept up: a session that closes is
// bound again after a second. SIGTERM (or --max-seconds) unbinds, writes the ledger and exits.
const smpp = require('smpp');
const { Ledger } = require('./lib/ledger');
const { Network } = require('./lib/network');
const options = require('./lib/options');
const { serveSession, stopper } = require('./lib/session');

const USAGE = `node carrier.js --port PORT [options]: a carrier binding to dlrgate's SMPP server
  --host HOST              [127.0.0.1]
  --port PORT              dlrgate's SMPP port
  --system-id ID           [node]
  --password PW            [node-pw]
  --bind MODE              transceiver | receiver+transmitter (two binds: dlrgate submits on the receiver,
                           receipts go on the transmitter) [transceiver]
  --reconnect-ms N         wait before binding again after a close [1000]
  --tls-ca FILE            connect over TLS, trusting the PEM certificate(s) in FILE (the server's certificate
                           must name --host) [plain TCP]
${options.NETWORK_USAGE}`;

const opts = options.parse(process.argv.slice(2), { host: '127.0.0.1', port: '', bind: 'transceiver',
  'reconnect-ms': '1000', 'tls-ca': '' }, USAGE);
const log = options.logger(`carrier ${opts['system-id']}`, opts);
if (!opts.port) {
  console.error(USAGE);
  process.exit(64);
}
// TLS through node's own tls module (the smpp package's `tls` option): the handshake, the certificate check
// against --tls-ca and the host name are node's, not dlrgate's.
const tls = opts['tls-ca'] ? { tls: true, ca: [require('fs').readFileSync(opts['tls-ca'])] } : {};
const binds = { transceiver: ['transceiver'], 'receiver+transmitter': ['receiver', 'transmitter'] }[opts.bind];
if (!binds) {
  console.error(`--bind: transceiver or receiver+transmitter, got '${opts.bind}'`);
  process.exit(64);
}

const ledger = new Ledger(opts.ledger, { role: 'carrier binding to dlrgate (dlrgate is the SMPP server)',
  library: 'smpp (node) ' + require('smpp/package.json').version, systemId: opts['system-id'], bind: opts.bind });
const network = new Network(options.networkSettings(opts, ledger, log));
const reconnectMs = options.int(opts, 'reconnect-ms');
const live = new Map(); // bind type -> session (bound or binding)
let stopping = false;

// From the carrier's side a receiver takes dlrgate's submits and a transmitter sends dlrgate receipts.
const takesSubmits = (type) => type !== 'transmitter';
const sendsReceipts = (type) => type !== 'receiver';

network.sessions = () => [...live.entries()]
  .filter(([type, s]) => s.bound && sendsReceipts(type)).map(([, s]) => s);
network.dropAll = () => {
  for (const s of live.values()) s.destroy();
};

function bind(type) {
  if (stopping) return;
  const session = smpp.connect(Object.assign({ host: opts.host, port: Number(opts.port),
    auto_enquire_link_period: 10000 }, tls));
  live.set(type, session);
  session.on(tls.tls ? 'secureConnect' : 'connect', () => {
    session[`bind_${type}`]({ system_id: opts['system-id'], password: opts.password, interface_version: 0x34 },
      (resp) => {
        if (resp.command_status === 0) {
          session.bound = true;
          ledger.count('bindsOk');
          log.info(`bound as ${type} (peer system_id '${resp.system_id}')`);
        } else {
          ledger.count('bindsRefused');
          log(`bind_${type} refused: 0x${resp.command_status.toString(16)}`);
          session.destroy();
        }
      });
  });
  serveSession(session, { network, ledger, takesSubmits: () => takesSubmits(type),
    onUnbind: () => log.info(`dlrgate unbinds the ${type} session`) });
  session.on('error', (e) => log.info(`${type} session: ${e.code || e.message}`));
  session.on('close', () => {
    network.onSessionClosed(session);
    if (live.get(type) !== session) return;
    if (session.bound && !stopping) ledger.count('boundSessionsClosed');
    session.bound = false;
    if (!stopping) setTimeout(() => bind(type), reconnectMs);
  });
}

stopper({ network, ledger, log, maxSeconds: options.int(opts, 'max-seconds'),
  boundSessions: () => [...live.values()].filter((s) => s.bound), before: () => { stopping = true; } });
ledger.startWriting();
binds.forEach(bind);
