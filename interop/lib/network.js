'use strict';
// The simulated mobile network behind the node carrier, the same in both roles (node binds to dlrgate, or dlrgate
// binds to node): it answers submit_sm with a message id (or a throttle error, or not at all before a drop), picks
// each destination's outcome, and sends the receipts back as deliver_sm or data_sm until each is acknowledged.
// The role (carrier.js or smsc.js) only supplies the sessions: which may carry receipts, and how to drop them all.
const smpp = require('smpp');

// Outcomes in percent, picked from a hash of the destination so that a message resubmitted after a drop (same
// destination, new id) gets the same stat: the ledger then compares with dlrgate's report per number.
const OUTCOMES = [['DELIVRD', 70], ['UNDELIV', 10], ['EXPIRED', 8], ['DELETED', 7], ['REJECTD', 5]];
const MESSAGE_STATE = { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, REJECTD: 8 };
const ERR = { DELIVRD: '000', ENROUTE: '000', EXPIRED: '027', DELETED: '011', UNDELIV: '001', REJECTD: '034' };

const ESM_RECEIPT = 0x04;
const ESM_INTERMEDIATE = 0x20;

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function outcomeOf(dest) {
  let r = fnv1a(dest) % 100;
  for (const [stat, weight] of OUTCOMES) {
    if (r < weight) return stat;
    r -= weight;
  }
  return OUTCOMES[0][0];
}

function smppDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours())
    + p(d.getUTCMinutes());
}

class Network {
  /**
   * @param o.ledger        the Ledger
   * @param o.receipts      'deliver_sm' | 'data_sm' | 'mixed' (alternating per message)
   * @param o.idStyle       'string' (e.g. N5F3A0001) | 'decimal' | 'hex'
   * @param o.enrouteEvery  every Nth message first gets an intermediate ENROUTE receipt (0: never)
   * @param o.throttleEvery every Nth submit_sm is answered with o.throttleStatus instead of an id (0: never)
   * @param o.dropAfter     submit counts after which every session is dropped with submits unanswered
   * @param o.receiptDelayMs [min, max] from submit_sm_resp to the receipt
   * @param o.receiptWindow receipts in flight per session at most
   * @param o.log           function(line)
   * @param o.outcomeOf     optional (pdu) => stat, in place of the destination's hash
   * @param o.onAccepted    optional (pdu, id) => void, once a submit_sm is answered with id
   */
  constructor(o) {
    this.o = o;
    this.ledger = o.ledger;
    this.log = o.log;
    this.seq = 0;
    this.runTag = (Date.now() % 0xfffff).toString(16).toUpperCase().padStart(5, '0');
    this.dropPoints = [...(o.dropAfter || [])].sort((a, b) => a - b);
    this.holding = null; // { timer } while submits are left unanswered before a drop
    this.queue = []; // receipts due or waiting: { id, stat, final, via, dueAt }
    this.sessions = () => []; // set by the role: bound sessions that may carry receipts
    this.dropAll = () => {}; // set by the role
    this.rr = 0;
    this.pumpTimer = setInterval(() => this.pump(), 50);
  }

  nextId() {
    const n = ++this.seq;
    switch (this.o.idStyle) {
      case 'decimal': return String(Number.parseInt(this.runTag, 16) * 1e6 + n);
      case 'hex': return (Number.parseInt(this.runTag, 16) * 0x1000000 + n).toString(16).toUpperCase();
      default: return 'N' + this.runTag + n.toString(16).toUpperCase().padStart(6, '0');
    }
  }

  /** A submit_sm on a session allowed to take submits. */
  onSubmit(session, pdu) {
    const L = this.ledger;
    L.count('submitsReceived');
    const received = L.counters.submitsReceived;
    if (!L.firstSubmit) {
      L.firstSubmit = {
        source_addr: pdu.source_addr, dest_addr_ton: pdu.dest_addr_ton, dest_addr_npi: pdu.dest_addr_npi,
        registered_delivery: pdu.registered_delivery, data_coding: pdu.data_coding,
        validity_period: String(pdu.validity_period), esm_class: pdu.esm_class,
      };
    }
    if (!(pdu.registered_delivery & 1)) L.count('submitsWithoutRegisteredDelivery');
    if (this.holding || (this.dropPoints.length && received >= this.dropPoints[0])) {
      this.hold();
      return; // left unanswered: the peer must take it back when the connection goes
    }
    if (this.o.throttleEvery && received % this.o.throttleEvery === 0) {
      L.count('submitsThrottled');
      session.send(pdu.response({ command_status: this.o.throttleStatus }));
      return;
    }
    const id = this.nextId();
    const dest = pdu.destination_addr;
    const stat = this.o.outcomeOf ? this.o.outcomeOf(pdu) : outcomeOf(dest);
    L.issued(id, dest, stat);
    if (this.o.onAccepted) this.o.onAccepted(pdu, id);
    L.count('submitsAccepted');
    session.send(pdu.response({ message_id: id }));
    const via = this.o.receipts === 'mixed' ? (this.seq % 2 ? 'deliver_sm' : 'data_sm') : this.o.receipts;
    const [min, max] = this.o.receiptDelayMs;
    const delay = min + Math.floor(Math.random() * (max - min + 1));
    const now = Date.now();
    if (this.o.enrouteEvery && this.seq % this.o.enrouteEvery === 0) {
      this.queue.push({ id, dest, src: pdu.source_addr, stat: 'ENROUTE', final: false, via, dueAt: now + delay });
    }
    this.queue.push({ id, dest, src: pdu.source_addr, stat, final: true, via, dueAt: now + 2 * delay });
  }

  /** Leaves submits unanswered for a moment (so several are in flight), then drops every session at once. */
  hold() {
    this.ledger.count('submitsHeldAtDrop');
    if (this.holding) return;
    this.dropPoints.shift();
    this.log(`fault: holding submits from #${this.ledger.counters.submitsReceived}, then dropping every session`);
    this.holding = {
      timer: setTimeout(() => {
        this.holding = null;
        this.ledger.count('connectionsDroppedOnPurpose');
        this.dropAll();
      }, this.o.holdMs || 300),
    };
  }

  /** A session went away: its receipts in flight were never acknowledged, so they go out again. */
  onSessionClosed(session) {
    const inflight = session.receiptsInFlight;
    if (!inflight) return;
    for (const item of inflight.values()) {
      this.ledger.count('receiptsCutByDrop');
      this.queue.push(item);
    }
    inflight.clear();
  }

  pump() {
    if (!this.queue.length) return;
    const sessions = this.sessions();
    if (!sessions.length) return;
    const now = Date.now();
    const due = [];
    const later = [];
    for (const item of this.queue) (item.dueAt <= now ? due : later).push(item);
    this.queue = later;
    for (const item of due) {
      const session = this.pickSession(sessions);
      if (!session) {
        this.queue.push(item);
        continue;
      }
      this.sendReceipt(session, item);
    }
  }

  pickSession(sessions) {
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[(this.rr++) % sessions.length];
      if (!s.receiptsInFlight) s.receiptsInFlight = new Map();
      if (s.receiptsInFlight.size < this.o.receiptWindow) return s;
    }
    return null;
  }

  sendReceipt(session, item) {
    const pdu = this.receiptPdu(item);
    const sent = session.send(pdu, (resp) => {
      if (!session.receiptsInFlight.delete(pdu.sequence_number)) return;
      if (resp.command_status === 0) {
        if (item.final) this.ledger.acked(item.id, item.via);
        else this.ledger.count('intermediatesAcked');
      } else {
        // dlrgate answers a receipt it could not store yet with its throttle status: send it again shortly
        this.ledger.refused(resp.command_status);
        item.dueAt = Date.now() + 200;
        this.queue.push(item);
      }
    });
    if (sent === false) {
      this.queue.push(item);
      return;
    }
    this.ledger.count('receiptsSent');
    session.receiptsInFlight.set(pdu.sequence_number, item);
  }

  receiptPdu(item) {
    const now = new Date();
    const text = `id:${item.id} sub:001 dlvrd:${item.stat === 'DELIVRD' ? '001' : '000'} `
      + `submit date:${smppDate(now)} done date:${smppDate(now)} stat:${item.stat} err:${ERR[item.stat]} text:`;
    const common = {
      source_addr_ton: 1, source_addr_npi: 1, source_addr: item.dest.replace(/^\+/, ''),
      dest_addr_ton: 5, dest_addr_npi: 0, destination_addr: item.src || '',
      esm_class: item.final ? ESM_RECEIPT : ESM_INTERMEDIATE, data_coding: 0,
      receipted_message_id: item.id, message_state: MESSAGE_STATE[item.stat],
    };
    if (item.via === 'deliver_sm') {
      return new smpp.PDU('deliver_sm', Object.assign(common, { short_message: text }));
    }
    // data_sm: the TLVs carry the receipt (network_error_code: GSM, the err value); every other one also has the
    // text in message_payload, the rest none, as both kinds are seen from carriers
    const nec = Buffer.from([3, 0, Number.parseInt(ERR[item.stat], 10)]);
    const fields = Object.assign(common, { network_error_code: nec });
    if (fnv1a(item.id) % 2) fields.message_payload = text;
    return new smpp.PDU('data_sm', fields);
  }

  pending() {
    let inflight = 0;
    for (const s of this.sessions()) inflight += s.receiptsInFlight ? s.receiptsInFlight.size : 0;
    return this.queue.length + inflight;
  }

  close() {
    clearInterval(this.pumpTimer);
    if (this.holding) clearTimeout(this.holding.timer);
  }
}

module.exports = { Network, outcomeOf };
