'use strict';
// GSM 03.38 default alphabet and its extension table, written out here from the standard (not taken from the smpp
// package or from dlrgate): the check must not share a table with what it checks. One septet per octet, as SMPP
// carries data_coding 0 (unpacked).
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?'
  + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = { 0x0a: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2f: '\\', 0x3c: '[', 0x3d: '~', 0x3e: ']',
  0x40: '|', 0x65: '€' };
const ESC = 0x1b;

if ([...BASIC].length !== 128) throw new Error(`GSM basic table has ${[...BASIC].length} characters, not 128`);
const BASIC_CHARS = [...BASIC];
const SEPTETS = new Map();
BASIC_CHARS.forEach((c, i) => { if (i !== ESC) SEPTETS.set(c, 1); });
Object.values(EXTENSION).forEach((c) => SEPTETS.set(c, 2));

/** Text from unpacked septets; an escape with no extension character after it reads as a space (03.38 says so). */
function decode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] & 0x7f;
    if (b === ESC) {
      const next = bytes[++i];
      out += next !== undefined && EXTENSION[next & 0x7f] !== undefined ? EXTENSION[next & 0x7f] : ' ';
    } else {
      out += BASIC_CHARS[b];
    }
  }
  return out;
}

/** Unpacked septets of a text that has a GSM code for every character (throws otherwise). */
function encode(text) {
  const out = [];
  for (const c of text) {
    const i = BASIC_CHARS.indexOf(c);
    if (i >= 0 && i !== ESC) {
      out.push(i);
      continue;
    }
    const ext = Object.keys(EXTENSION).find((k) => EXTENSION[k] === c);
    if (ext === undefined) throw new Error(`no GSM code for ${JSON.stringify(c)}`);
    out.push(ESC, Number(ext));
  }
  return Buffer.from(out);
}

/** Septets needed for the text in the default alphabet, or -1 when a character has no GSM code. */
function septets(text) {
  let n = 0;
  for (const c of text) {
    const s = SEPTETS.get(c);
    if (s === undefined) return -1;
    n += s;
  }
  return n;
}

module.exports = { decode, encode, septets, ESC };
