'use strict';
// What both roles do the same way on a session: answer submit_sm (or refuse it on a bind that takes none),
// enquire_link and unbind; and stop: unbind every bound session, write the final ledger, exit.
const smpp = require('smpp');

/**
 * @param takesSubmits () => boolean, asked at each submit_sm (the bind type may be known only later)
 * @param onUnbind     () => void, before the unbind_resp is sent
 */
function serveSession(session, { network, ledger, takesSubmits, onUnbind }) {
  session.on('submit_sm', (pdu) => {
    if (!takesSubmits()) {
      ledger.count('submitsOnWrongBind');
      session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      return;
    }
    network.onSubmit(session, pdu);
  });
  session.on('enquire_link', (pdu) => {
    ledger.count('enquireLinksAnswered');
    session.send(pdu.response());
  });
  session.on('unbind', (pdu) => {
    onUnbind();
    session.send(pdu.response(), () => session.close());
  });
}

/**
 * Installs the ways to stop (SIGTERM, SIGINT: exit 0; --max-seconds: exit 3) and returns stop(code).
 * @param boundSessions () => sessions to unbind, waiting 2 s at most for their unbind_resp
 * @param before        () => void, first thing when stopping (stop listening, stop reconnecting)
 */
function stopper({ network, ledger, log, maxSeconds, boundSessions, before }) {
  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    before();
    network.close();
    const bound = boundSessions();
    let left = bound.length;
    const done = () => {
      ledger.close();
      log(`stopped: ${JSON.stringify(ledger.counters)}`);
      process.exit(code);
    };
    if (!left) done();
    for (const s of bound) s.unbind(() => { s.close(); if (--left === 0) done(); });
    setTimeout(done, 2000).unref();
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  setTimeout(() => { log('--max-seconds reached'); stop(3); }, maxSeconds * 1000).unref();
  return stop;
}

module.exports = { serveSession, stopper };
