'use strict';
// Command-line options shared by carrier.js and smsc.js: --name value pairs, checked against the known names so
// that a typo is an error rather than a default silently used.
const NETWORK_DEFAULTS = {
  'system-id': 'node', password: 'node-pw', ledger: 'ledger.json', receipts: 'mixed', 'id-style': 'string',
  'enroute-every': '10', 'throttle-every': '0', 'throttle-status': '0x58', 'drop-after': '',
  'receipt-delay-ms': '20..200', 'receipt-window': '50', 'max-seconds': '600', quiet: 'false',
};

function parse(argv, defaults, usage) {
  const all = Object.assign({}, NETWORK_DEFAULTS, defaults);
  const out = Object.assign({}, all);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in all)) {
      console.error(`unknown option ${a}\n${usage}`);
      process.exit(64);
    }
    out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
    if (out[m[1]] === undefined) {
      console.error(`option --${m[1]} needs a value`);
      process.exit(64);
    }
  }
  return out;
}

function int(opts, name) {
  const v = Number(opts[name]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name}: expected a whole number >= 0, got '${opts[name]}'`);
    process.exit(64);
  }
  return v;
}

/** The Network's settings from the shared options. */
function networkSettings(opts, ledger, log) {
  const range = /^(\d+)\.\.(\d+)$/.exec(opts['receipt-delay-ms']);
  if (!range || +range[1] > +range[2]) {
    console.error(`--receipt-delay-ms: expected MIN..MAX, got '${opts['receipt-delay-ms']}'`);
    process.exit(64);
  }
  if (!['deliver_sm', 'data_sm', 'mixed'].includes(opts.receipts)) {
    console.error(`--receipts: deliver_sm, data_sm or mixed, got '${opts.receipts}'`);
    process.exit(64);
  }
  if (!['string', 'decimal', 'hex'].includes(opts['id-style'])) {
    console.error(`--id-style: string, decimal or hex, got '${opts['id-style']}'`);
    process.exit(64);
  }
  return {
    ledger, log,
    receipts: opts.receipts,
    idStyle: opts['id-style'],
    enrouteEvery: int(opts, 'enroute-every'),
    throttleEvery: int(opts, 'throttle-every'),
    throttleStatus: Number(opts['throttle-status']),
    dropAfter: opts['drop-after'] ? opts['drop-after'].split(',').map(Number) : [],
    receiptDelayMs: [+range[1], +range[2]],
    receiptWindow: Math.max(1, int(opts, 'receipt-window')),
  };
}

const NETWORK_USAGE = `
the simulated network (both roles):
  --ledger FILE            where the ledger (JSON) is written, every second and at exit [ledger.json]
  --receipts KIND          deliver_sm | data_sm | mixed (alternating per message) [mixed]
  --id-style STYLE         message ids: string | decimal | hex [string]
  --enroute-every N        every Nth message first gets an intermediate ENROUTE receipt, 0 never [10]
  --throttle-every N       answer every Nth submit_sm with --throttle-status instead of an id, 0 never [0]
  --throttle-status S      ESME_RTHROTTLED 0x58 or ESME_RMSGQFUL 0x14 [0x58]
  --drop-after N,M,...     after the Nth submit_sm, leave submits unanswered ~300 ms, then drop every session
  --receipt-delay-ms A..B  delay from submit_sm_resp to the receipt [20..200]
  --receipt-window N       receipts in flight per session [50]
  --max-seconds N          exit (ledger written) after this long at most [600]
  --quiet true             log only faults and errors`;

/** A logger that prefixes lines with the time and the role; --quiet keeps only the important ones. */
function logger(role, opts) {
  const quiet = opts.quiet === 'true';
  const log = (line) => console.log(`${new Date().toISOString()} [${role}] ${line}`);
  log.info = (line) => { if (!quiet) log(line); };
  return log;
}

module.exports = { parse, int, networkSettings, logger, NETWORK_USAGE };
