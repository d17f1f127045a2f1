'use strict';
// Reassembles the concatenated messages an ESME sends as parts, from the raw octets (the smpp package's own text
// decoding is not used: this is an independent reading). Parts are tied by a user data header (esm_class UDHI 0x40;
// element 0x00, 8-bit reference, or 0x08, 16-bit reference) or by the SAR TLVs (0x020C sar_msg_ref_num, 0x020E
// sar_total_segments, 0x020F sar_segment_seqnum). The parts' octets are joined in part order and decoded by
// data_coding (0: GSM 03.38 unpacked, 8: UCS-2 big-endian, 3: Latin-1, 1: ASCII), as a handset does; each part's
// octets and own decoding are kept too, so that the check can look at the part edges. A message that is not in parts is a message of one part.
const smpp = require('smpp');
const gsm7 = require('./gsm7');

const UDHI = 0x40;

/**
 * Keeps the raw octets of short_message and message_payload on every PDU the smpp package decodes (it replaces them
 * with its decoded text). Installed once, by the SMSC that reassembles.
 */
function keepRawOctets() {
  const filter = smpp.PDU.prototype._filter;
  if (filter.keepsRaw) return;
  smpp.PDU.prototype._filter = function keepRaw(func) {
    if (func === 'decode') {
      if (Buffer.isBuffer(this.short_message)) this.rawShortMessage = Buffer.from(this.short_message);
      if (Buffer.isBuffer(this.message_payload)) this.rawPayload = Buffer.from(this.message_payload);
    }
    return filter.call(this, func);
  };
  smpp.PDU.prototype._filter.keepsRaw = true;
}

/** { scheme, ref, total, seq, body } of a submit_sm, from its raw octets; scheme null for a whole message. */
function partOf(pdu) {
  let octets = pdu.rawShortMessage && pdu.rawShortMessage.length ? pdu.rawShortMessage : pdu.rawPayload;
  octets = octets || Buffer.alloc(0);
  let part = null;
  if (pdu.sar_msg_ref_num !== undefined && pdu.sar_total_segments !== undefined
      && pdu.sar_segment_seqnum !== undefined) {
    part = { scheme: 'sar', ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum };
  }
  let body = octets;
  if ((pdu.esm_class & UDHI) && octets.length) {
    const end = 1 + octets[0];
    if (end > octets.length) throw new Error(`UDHL ${octets[0]} runs past the ${octets.length} octets`);
    for (let i = 1; i + 1 < end;) {
      const iei = octets[i], len = octets[i + 1], at = i + 2;
      if (at + len > end) throw new Error(`UDH element 0x${iei.toString(16)} runs past the header`);
      if (iei === 0x00 && len === 3) {
        part = { scheme: 'udh8', ref: octets[at], total: octets[at + 1], seq: octets[at + 2] };
      } else if (iei === 0x08 && len === 4) {
        part = { scheme: 'udh16', ref: octets.readUInt16BE(at), total: octets[at + 2], seq: octets[at + 3] };
      }
      i = at + len;
    }
    body = octets.subarray(end);
  }
  if (part && (part.total < 1 || part.seq < 1 || part.seq > part.total)) {
    throw new Error(`part ${part.seq} of ${part.total} is not a part`);
  }
  return Object.assign(part || { scheme: null, ref: 0, total: 1, seq: 1 }, { body });
}

function decode(octets, dataCoding) {
  switch (dataCoding & 0xff) {
    case 0x00: return gsm7.decode(octets);
    case 0x08: {
      if (octets.length % 2) throw new Error(`UCS-2 text of ${octets.length} octets (odd)`);
      return Buffer.from(octets).swap16().toString('utf16le');
    }
    case 0x01: return octets.toString('ascii');
    case 0x03: return octets.toString('latin1');
    default: throw new Error(`data_coding 0x${dataCoding.toString(16)} is not one this check decodes`);
  }
}

class Reassembler {
  /** @param maxOpen messages with parts missing kept at most (a peer cannot grow this without bound) */
  constructor(maxOpen = 10000) {
    this.maxOpen = maxOpen;
    this.open = new Map(); // dest/scheme/ref/total -> { parts: Map(seq -> part) }
    this.done = []; // { dest, scheme, ref, total, dataCoding, text, parts: [{ id, octets, text }] }
    this.problems = [];
    this.forgotten = 0;
  }

  /** A submit_sm answered with id. */
  add(pdu, id) {
    let p;
    try {
      p = partOf(pdu);
    } catch (e) {
      this.problem(`${pdu.destination_addr}: ${e.message}`);
      return;
    }
    let text;
    try {
      text = decode(p.body, pdu.data_coding);
    } catch (e) {
      this.problem(`${pdu.destination_addr} part ${p.seq}/${p.total}: ${e.message}`);
      return;
    }
    const part = { id, seq: p.seq, dataCoding: pdu.data_coding, octets: p.body.toString('hex'), text };
    if (!p.scheme) {
      this.done.push({ dest: pdu.destination_addr, scheme: null, ref: null, total: 1, text, parts: [part] });
      return;
    }
    const key = [pdu.destination_addr, p.scheme, p.ref, p.total].join('/');
    let m = this.open.get(key);
    if (!m) {
      m = { parts: new Map() };
      this.open.set(key, m);
      if (this.open.size > this.maxOpen) {
        this.open.delete(this.open.keys().next().value);
        this.forgotten++;
      }
    }
    m.parts.set(p.seq, part); // a part sent again replaces the earlier copy
    if (m.parts.size === p.total) {
      this.open.delete(key);
      const parts = [...m.parts.values()].sort((a, b) => a.seq - b.seq);
      // as a handset does: the parts' octets joined, then decoded (the edges are the check's business)
      let text;
      if (parts.some((x) => x.dataCoding !== parts[0].dataCoding)) {
        this.problem(`${pdu.destination_addr}: parts in different data_codings ${parts.map((x) => x.dataCoding)}`);
        text = parts.map((x) => x.text).join('');
      } else {
        text = decode(Buffer.concat(parts.map((x) => Buffer.from(x.octets, 'hex'))), parts[0].dataCoding);
      }
      this.done.push({ dest: pdu.destination_addr, scheme: p.scheme, ref: p.ref, total: p.total, text, parts });
    }
  }

  problem(line) {
    if (this.problems.length < 100) this.problems.push(line);
  }

  snapshot() {
    return { messages: this.done, open: this.open.size, forgotten: this.forgotten, problems: this.problems };
  }
}

module.exports = { Reassembler, keepRawOctets, partOf, decode };
