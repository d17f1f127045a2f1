'use strict';
// Texts that put what a splitter gets wrong at the part edges: GSM extension characters (two septets: ESC + code)
// across the septet edge, '@' (septet 0x00), emoji (UTF-16 surrogate pairs) across the UCS-2 edge, and texts
// exactly at and just past one SMS. The edges depend on the form: a part holds 153 septets or 67 UCS-2 units
// (UDH with an 8-bit reference, 6 octets; SAR, to which the SMSC adds the same header), 152 or 66 with a 16-bit
// reference (7 octets of header).

/** Septets and UCS-2 units a part holds in this form (udh8, udh16, sar). */
function partSize(scheme) {
  return scheme === 'udh16' ? { gsm: 152, ucs2: 66 } : { gsm: 153, ucs2: 67 };
}

/** The texts for one form, each with its edges where that form cuts. */
function textsFor(scheme) {
  const { gsm, ucs2 } = partSize(scheme);
  const a = (c, n) => c.repeat(n);
  return [
    a('a', gsm - 1) + '€' + a('b', 20), // € would take the part's last septet and one more: it must open part 2
    a('x', gsm - 1) + '[]{}' + a('y', gsm - 9) + '~^' + a('z', 9), // [ at the edge of part 1, ~ at that of part 2
    '@£$¥ èéùì ' + a('Ω', 150) + ' |\\ end', // GSM letters outside ASCII; '@' is octet 0x00
    a('z', 160), // exactly one SMS: no header
    a('z', 161), // one septet more: two parts
    a('Ж', ucs2 - 1) + '😀' + a('Ж', 10), // the emoji would take the part's last unit and one more: it opens part 2
    a('😀', 70), // emoji only: never a part that ends in half of one
    a('Ж', 70), // exactly one UCS-2 SMS
    'Grüße aus Zürich – ' + a('ü', 40) + ' 😀€[] ' + a('ß', 30), // UCS-2 (the dash has no GSM code)
  ];
}

module.exports = { textsFor, partSize };
