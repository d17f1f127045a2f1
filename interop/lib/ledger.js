'use strict';
// The node side's own record of what it did, kept apart from anything dlrgate says: every message id it issued,
// the destination it was for, the final stat it reported and whether that receipt was acknowledged (status 0).
// check.js compares it with dlrgate's report API. Written atomically (temp file + rename) every second and at
// exit, so a reader never sees half a file.
const fs = require('fs');
const path = require('path');

class Ledger {
  constructor(file, meta) {
    this.file = file;
    this.meta = Object.assign({ startedAt: new Date().toISOString() }, meta);
    this.counters = {
      bindsOk: 0, bindsRefused: 0, connectionsDroppedOnPurpose: 0, boundSessionsClosed: 0,
      submitsReceived: 0, submitsAccepted: 0, submitsThrottled: 0, submitsHeldAtDrop: 0,
      submitsWithoutRegisteredDelivery: 0, submitsOnWrongBind: 0,
      receiptsSent: 0, receiptsAcked: 0, receiptsRefused: 0, receiptsCutByDrop: 0,
      intermediatesAcked: 0, enquireLinksAnswered: 0,
    };
    this.receiptsAckedBy = { deliver_sm: 0, data_sm: 0 };
    this.refusedStatuses = {};
    this.firstSubmit = null; // what dlrgate's submit_sm looked like, for the record
    this.messages = {}; // message id -> { dest, stat, via, acked, ackedAt }
    this.dirty = true;
    this.timer = null;
    this.sections = {}; // name -> () => JSON: what a role adds to the ledger (e.g. the reassembled texts)
  }

  /** Adds a section to the ledger file, read at every write. */
  section(name, read) {
    this.sections[name] = read;
  }

  count(name, n = 1) {
    this.counters[name] += n;
    this.dirty = true;
  }

  issued(id, dest, stat) {
    this.messages[id] = { dest, stat, via: null, acked: false };
    this.dirty = true;
  }

  acked(id, via) {
    const m = this.messages[id];
    m.via = via;
    m.acked = true;
    m.ackedAt = new Date().toISOString();
    this.receiptsAckedBy[via]++;
    this.count('receiptsAcked');
  }

  refused(status) {
    const key = '0x' + status.toString(16).padStart(8, '0');
    this.refusedStatuses[key] = (this.refusedStatuses[key] || 0) + 1;
    this.count('receiptsRefused');
  }

  /** Destinations whose final receipt was acknowledged, each with the stats acknowledged for it. */
  finalsByDestination() {
    const byDest = {};
    for (const m of Object.values(this.messages)) {
      if (m.acked) (byDest[m.dest] = byDest[m.dest] || []).push(m.stat);
    }
    return byDest;
  }

  snapshot(final) {
    return {
      meta: Object.assign({}, this.meta, { updatedAt: new Date().toISOString(), final: !!final }),
      counters: this.counters,
      receiptsAckedBy: this.receiptsAckedBy,
      refusedStatuses: this.refusedStatuses,
      firstSubmit: this.firstSubmit,
      messages: this.messages,
      ...Object.fromEntries(Object.entries(this.sections).map(([k, read]) => [k, read()])),
    };
  }

  write(final) {
    if (!this.dirty && !final) return;
    const tmp = path.join(path.dirname(this.file), '.' + path.basename(this.file) + '.tmp');
    fs.writeFileSync(tmp, JSON.stringify(this.snapshot(final)));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }

  startWriting(everyMs = 1000) {
    this.timer = setInterval(() => this.write(false), everyMs);
  }

  close() {
    clearInterval(this.timer);
    this.write(true);
  }
}

module.exports = { Ledger };
