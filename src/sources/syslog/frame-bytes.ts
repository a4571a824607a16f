/**
 * The two framings nearly every keepalived line of a storm has (RFC 3339 and RFC 3164, rsyslog's two files) read over
 * the line's bytes, as positions: no string, no object. Only lines whose framing is plain ASCII are taken; any other
 * (a non-ASCII host or program, a CR or Unicode line separator in the message, a month that is none) is left to the
 * string framing (framing.ts), which decides exactly as before. Where both read a line they agree (tested).
 */

/** Where the pieces of a line lie (one object, filled again for each line). */
export interface BytePieces {
  framing: 'rfc3339' | 'rfc3164';
  /** digits of sub-second precision */
  precision: number;
  /** the fraction in ns (0 when none) */
  fractionNs: number;
  year: number;
  /** 0-11 for rfc3164 (from the name), 1-12 as written for rfc3339 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** rfc3339: the zone as written, [zoneStart, zoneEnd); a number standing for it (same number, same zone text) */
  zoneStart: number;
  zoneEnd: number;
  zoneKey: number;
  /** rfc3164: the fraction's digits [fracStart, fracStart + precision) */
  fracStart: number;
  hostStart: number;
  hostEnd: number;
  programStart: number;
  programEnd: number;
  pid: number | undefined;
  messageStart: number;
}

export function newPieces(): BytePieces {
  return { framing: 'rfc3339', precision: 0, fractionNs: 0, year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, zoneStart: 0, zoneEnd: 0, zoneKey: 0, fracStart: 0, hostStart: 0, hostEnd: 0, programStart: 0, programEnd: 0, pid: undefined, messageStart: 0 };
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** an ASCII byte that JavaScript's \s matches */
const isSpace = (c: number) => (c >= 9 && c <= 13) || c === 32;
const two = (b: Uint8Array, i: number) => (b[i] - 48) * 10 + b[i + 1] - 48;

function digits(b: Uint8Array, i: number, n: number, e: number): boolean {
  if (i + n > e) return false;
  for (let k = i; k < i + n; k++) if (!isDigit(b[k])) return false;
  return true;
}

/** 10^(9-n): ns per unit of the n-th fractional digit */
const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** Up to nine fraction digits from i (after the dot); their count, 0 when none or more than `max`. */
function fraction(b: Uint8Array, i: number, e: number, p: BytePieces, max: number): number {
  let j = i;
  let v = 0;
  while (j < e && j - i < max && isDigit(b[j])) v = v * 10 + b[j++] - 48;
  const n = j - i;
  p.precision = n;
  p.fractionNs = n ? v * SCALE[n] : 0;
  p.fracStart = i;
  return n;
}

/**
 * RFC 3339 framing as framing.ts's rfc3339 reads it: `YYYY-MM-DD[T ]hh:mm:ss[.,frac](Z|±hh[:]mm) host prog[pid]: msg`.
 * False when the line is not that, or not plain ASCII up to the message.
 */
export function rfc3339Bytes(b: Uint8Array, s: number, e: number, p: BytePieces): boolean {
  if (!digits(b, s, 4, e) || b[s + 4] !== 45 || !digits(b, s + 5, 2, e) || b[s + 7] !== 45 || !digits(b, s + 8, 2, e)) return false;
  const t = b[s + 10];
  if ((t !== 84 && t !== 32) || !digits(b, s + 11, 2, e) || b[s + 13] !== 58 || !digits(b, s + 14, 2, e) || b[s + 16] !== 58 || !digits(b, s + 17, 2, e)) return false;
  p.year = two(b, s) * 100 + two(b, s + 2);
  p.month = two(b, s + 5);
  p.day = two(b, s + 8);
  p.hour = two(b, s + 11);
  p.minute = two(b, s + 14);
  p.second = two(b, s + 17);
  let i = s + 19;
  p.precision = 0;
  p.fractionNs = 0;
  const f = i < e ? b[i] : -1;
  if (f === 46 || f === 44) {
    // (ten digits or more: no zone can follow, the pattern fails)
    if (!fraction(b, i + 1, e, p, 9) || (i + 1 + p.precision < e && isDigit(b[i + 1 + p.precision]))) return false;
    i += 1 + p.precision;
  }
  p.zoneStart = i;
  const z = i < e ? b[i] : -1;
  if (z === 90) {
    p.zoneKey = 0;
    i++;
  } else if ((z === 43 || z === 45) && digits(b, i + 1, 2, e)) {
    const hh = two(b, i + 1);
    i += 3;
    const colon = i < e && b[i] === 58;
    if (colon) i++;
    if (!digits(b, i, 2, e)) return false;
    p.zoneKey = 1 + (z === 45 ? 100_000 : 0) + hh * 1000 + two(b, i) * 10 + (colon ? 1 : 0) * 2;
    i += 2;
  } else return false;
  p.zoneEnd = i;
  p.framing = 'rfc3339';
  return tail(b, i, e, p);
}

/** 'Jan'…'Dec' as one number (three ASCII bytes) → month 0-11 */
const MONTH_KEYS = new Map(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), i]));

/**
 * RFC 3164 framing as framing.ts's rfc3164 reads it: `Mmm dd hh:mm:ss[.frac] host prog[pid]: msg`, with a month that is
 * one. False when the line is not that (a month that is none included: the string framing says what it is).
 */
export function rfc3164Bytes(b: Uint8Array, s: number, e: number, p: BytePieces): boolean {
  if (s + 15 > e) return false;
  const c0 = b[s];
  const c1 = b[s + 1];
  const c2 = b[s + 2];
  if (!(c0 >= 65 && c0 <= 90 && c1 >= 97 && c1 <= 122 && c2 >= 97 && c2 <= 122) || b[s + 3] !== 32) return false;
  const month = MONTH_KEYS.get((c0 << 16) | (c1 << 8) | c2);
  if (month === undefined) return false;
  const d0 = b[s + 4];
  if (!(d0 === 32 || isDigit(d0)) || !isDigit(b[s + 5]) || b[s + 6] !== 32) return false;
  if (!digits(b, s + 7, 2, e) || b[s + 9] !== 58 || !digits(b, s + 10, 2, e) || b[s + 12] !== 58 || !digits(b, s + 13, 2, e)) return false;
  p.month = month;
  p.day = d0 === 32 ? b[s + 5] - 48 : two(b, s + 4);
  p.hour = two(b, s + 7);
  p.minute = two(b, s + 10);
  p.second = two(b, s + 13);
  let i = s + 15;
  p.precision = 0;
  p.fractionNs = 0;
  if (i < e && b[i] === 46) {
    if (!fraction(b, i + 1, e, p, 9)) return false;
    i += 1 + p.precision;
  }
  p.framing = 'rfc3164';
  return tail(b, i, e, p);
}

/**
 * After the time: ` (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$` from i, over ASCII host and program bytes (a byte ≥ 0x80
 * there: false, the string framing decides, since JavaScript's \s has non-ASCII spaces).
 */
function tail(b: Uint8Array, i: number, e: number, p: BytePieces): boolean {
  if (i >= e || b[i] !== 32) return false;
  p.hostStart = ++i;
  let c = 0;
  while (i < e && !isSpace((c = b[i]))) {
    if (c >= 0x80) return false;
    i++;
  }
  if (i === p.hostStart || i >= e || b[i] !== 32) return false;
  p.hostEnd = i;
  p.programStart = ++i;
  while (i < e && !isSpace((c = b[i])) && c !== 91 && c !== 58) {
    if (c >= 0x80) return false;
    i++;
  }
  if (i === p.programStart) return false;
  p.programEnd = i;
  p.pid = undefined;
  if (i < e && b[i] === 91) {
    const s = i + 1;
    let j = s;
    let pid = 0;
    while (j < e && isDigit(b[j])) pid = pid * 10 + b[j++] - 48;
    // (more digits than a double holds exactly: the string framing reads them as written)
    if (j === s || j >= e || b[j] !== 93 || j - s > 15) return false;
    p.pid = pid;
    i = j + 1;
  }
  if (i >= e || b[i] !== 58) return false;
  i++;
  if (i < e && b[i] === 32) i++;
  p.messageStart = i;
  return true;
}
