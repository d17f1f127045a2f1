'use strict';
// Texts that put what a splitter gets wrong at the part edges: GSM extension characters (two septets: ESC + code)
// across the 153-septet edge, '@' (septet 0x00), emoji (UTF-16 surrogate pairs) across the 67-character edge, and
// texts exactly at and just past one SMS.
const a = (c, n) => c.repeat(n);
const TEXTS = [
  a('a', 152) + '€' + a('b', 20), // € would be septets 153-154: it must open part 2
  a('x', 152) + '[]{}' + a('y', 144) + '~^' + a('z', 9), // [ at the edge of part 1, ~ at the edge of part 2
  '@£$¥ èéùì ' + a('Ω', 150) + ' |\\ end', // GSM letters outside ASCII, '@' is octet 0x00
  a('z', 160), // exactly one SMS: no header
  a('z', 161), // one septet more: two parts
  a('Ж', 66) + '😀' + a('Ж', 10), // the emoji would be UTF-16 units 67-68: it must open part 2
  a('😀', 70), // emoji only: 66 units a part, never 67
  a('Ж', 70), // exactly one UCS-2 SMS
  'Grüße aus Zürich – ' + a('ü', 40) + ' 😀€[] ' + a('ß', 30), // UCS-2 (the dash has no GSM code)
];

module.exports = { TEXTS };
