/**
 * Keyboard neighbours for typo substitutions and insertions.
 *
 * Source: derived by hand from the US QWERTY (ANSI) layout's four character rows
 * `1234567890 / qwertyuiop / asdfghjkl / zxcvbnm`: two keys are neighbours when they touch on the
 * staggered layout (left and right on the same row; on the row above, the keys at the same index
 * and one to the right; on the row below, the keys at the same index and one to the left).
 * Punctuation keys are left out on purpose, so a typo never introduces `@`, a space or a quote.
 * The relation is symmetric (a test checks it).
 */
export const QWERTY_NEIGHBOURS: Readonly<Record<string, string>> = {
  "0": "9op",
  "1": "2q",
  "2": "13qw",
  "3": "24ew",
  "4": "35er",
  "5": "46rt",
  "6": "57ty",
  "7": "68uy",
  "8": "79iu",
  "9": "08io",
  q: "12aw",
  w: "23aeqs",
  e: "34drsw",
  r: "45deft",
  t: "56fgry",
  y: "67ghtu",
  u: "78hijy",
  i: "89jkou",
  o: "09iklp",
  p: "0lo",
  a: "qswz",
  s: "adewxz",
  d: "cefrsx",
  f: "cdgrtv",
  g: "bfhtvy",
  h: "bgjnuy",
  j: "hikmnu",
  k: "ijlmo",
  l: "kop",
  z: "asx",
  x: "cdsz",
  c: "dfvx",
  v: "bcfg",
  b: "ghnv",
  n: "bhjm",
  m: "jkn",
};
