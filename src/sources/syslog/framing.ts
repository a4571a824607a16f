import { inTimeRange, outOfRangeText, rfc3339Ns } from '../../model/instant.js';

/**
 * Syslog line framings, sniffed per line (a rotated set can mix them): RFC 3164/rsyslog traditional and journalctl
 * short/short-precise (no year, no zone), RFC 3339/rsyslog high precision and journalctl short-iso(-precise),
 * RFC 5424, journalctl -o json, and keepalived's own --log-file layout.
 */
export type Framing = 'rfc3164' | 'rfc3339' | 'rfc5424' | 'journal-json' | 'keepalived-log-file';

/** A wall-clock time without year and/or zone: resolved later with --year/--tz and year inference. */
export interface ZonelessTime {
  year?: number;
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** fractional digits as written ('' when none) */
  fraction: string;
}

export interface Frame {
  framing: Framing;
  /** exact instant when the framing carries a zone */
  ns?: bigint;
  /** set when the line is framed but its time is none (no calendar date, out of range): flagged, not used */
  badTime?: string;
  /** digits of sub-second precision the framing had */
  precision: number;
  zoneless?: ZonelessTime;
  host?: string;
  program: string;
  pid?: number;
  message: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const RFC3164 = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2}) (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$/;
const RFC5424 = /^<\d{1,3}>1 (\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) (\S+) (\S+) (\S+) \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$/;
// keepalived's own framing, in its --log-file (-g) and on the console (--log-console, --log-detail):
// "Sat Mar 23 02:57:31 2019: (VI_1) Invalid VRRPv3 checksum" (local time, no host, no program name)
const KA_FILE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\d{4}): (.*)$/;

/** The start of keepalived's own framing: such a line is keepalived's though it never names the program. */
export const KA_FILE_START = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d[. ]/;

/**
 * The instant, or why the line's time is none (2026-02-30): the line is still framed, and flagged by the reader. The
 * whole second is converted once per second (a storm writes thousands of lines in each: converting every one was a
 * storm's third-hottest function); the fraction is added to it.
 */
function exact(date: string, time: string, frac: string | undefined, zone: string): { ns?: bigint; badTime?: string } {
  const k = lastSecond;
  if (k.time !== time || k.date !== date || k.zone !== zone) lastSecond = { date, time, zone, ns: rfc3339Ns(date, time, undefined, zone) };
  const t = lastSecond.ns;
  if (typeof t === 'string') return { badTime: t };
  return { ns: frac ? t + BigInt(frac.padEnd(9, '0').slice(0, 9)) : t };
}

let lastSecond: { date: string; time: string; zone: string; ns: bigint | string } = { date: '', time: '', zone: '', ns: '' };

export function parseFrame(line: string): Frame | null {
  const c = line.charCodeAt(0);
  if (c === 123 /* { */) return journalJson(line);
  if (c === 60 /* < */) {
    const m = RFC5424.exec(line);
    if (!m) return null;
    return { framing: 'rfc5424', ...exact(m[1], m[2], m[3], m[4]), precision: (m[3] ?? '').length, host: nil(m[5]), program: m[6], pid: m[7] === '-' ? undefined : num(m[7]), message: m[8] };
  }
  if (c >= 48 && c <= 57) {
    const fast = rfc3339(line);
    if (fast !== undefined) return fast;
    const m = RFC3339.exec(line);
    if (!m) return null;
    return { framing: 'rfc3339', ...exact(m[1], m[2], m[3], m[4]), precision: (m[3] ?? '').length, host: m[5], program: m[6], pid: num(m[7]), message: m[8] };
  }
  const fast = rfc3164(line);
  if (fast !== undefined) return fast;
  let m = RFC3164.exec(line);
  if (m) {
    const month = MONTHS.indexOf(m[1]);
    if (month < 0) return null;
    return {
      framing: 'rfc3164', precision: (m[6] ?? '').length,
      zoneless: { month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), fraction: m[6] ?? '' },
      host: m[7], program: m[8], pid: num(m[9]), message: m[10],
    };
  }
  m = KA_FILE.exec(line);
  if (m) {
    const month = MONTHS.indexOf(m[1]);
    if (month < 0) return null;
    return {
      framing: 'keepalived-log-file', precision: (m[6] ?? '').length, program: 'Keepalived',
      zoneless: { year: Number(m[7]), month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), fraction: m[6] ?? '' },
      message: m[8],
    };
  }
  return null;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** JavaScript's \s, as RFC3164's \S+ and [^\s[:] see it */
const isSpace = (c: number) => (c >= 9 && c <= 13) || c === 32 || c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
/** what the pattern's `.` does not match */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const two = (line: string, i: number) => (line.charCodeAt(i) - 48) * 10 + line.charCodeAt(i + 1) - 48;

/**
 * RFC 3164 framing read by hand, with exactly the RFC3164 pattern's result (the hot path: every keepalived line of a
 * traditional syslog); `undefined` when the line does not match it (then the patterns decide), `null` for a month that
 * is none. One left-to-right walk, no backtracking, no match array.
 */
function rfc3164(line: string): Frame | null | undefined {
  const c0 = line.charCodeAt(0);
  const c1 = line.charCodeAt(1);
  const c2 = line.charCodeAt(2);
  if (!(c0 >= 65 && c0 <= 90 && c1 >= 97 && c1 <= 122 && c2 >= 97 && c2 <= 122) || line.charCodeAt(3) !== 32) return undefined;
  const d0 = line.charCodeAt(4);
  if (!(d0 === 32 || isDigit(d0)) || !isDigit(line.charCodeAt(5)) || line.charCodeAt(6) !== 32) return undefined;
  if (!isDigit(line.charCodeAt(7)) || !isDigit(line.charCodeAt(8)) || line.charCodeAt(9) !== 58 || !isDigit(line.charCodeAt(10)) || !isDigit(line.charCodeAt(11)) ||
    line.charCodeAt(12) !== 58 || !isDigit(line.charCodeAt(13)) || !isDigit(line.charCodeAt(14))) return undefined;
  let i = 15;
  let fraction = '';
  if (line.charCodeAt(i) === 46) {
    let j = i + 1;
    while (j < line.length && j - i <= 9 && isDigit(line.charCodeAt(j))) j++;
    if (j === i + 1) return undefined;
    fraction = line.slice(i + 1, j);
    i = j;
  }
  if (!readTail(line, i)) return undefined;
  const month = MONTHS.indexOf(line.slice(0, 3));
  if (month < 0) return null;
  return {
    framing: 'rfc3164', precision: fraction.length,
    zoneless: { month, day: d0 === 32 ? line.charCodeAt(5) - 48 : two(line, 4), hour: two(line, 7), minute: two(line, 10), second: two(line, 13), fraction },
    host: tail.host, program: tail.program, pid: tail.pid, message: tail.message,
  };
}

/** What readTail read last (one object reused: the hot path makes no object for the pieces of a line). */
const tail = { host: '', program: '', pid: undefined as number | undefined, message: '' };

/**
 * The part both hand-read framings share after the time, as the patterns read it: ` (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$`
 * from `i`, into `tail`; false when the line does not match it (then the patterns decide).
 */
function readTail(line: string, i: number): boolean {
  if (line.charCodeAt(i) !== 32) return false;
  const hostStart = ++i;
  while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
  if (i === hostStart || line.charCodeAt(i) !== 32) return false;
  const host = line.slice(hostStart, i);
  const progStart = ++i;
  for (let c = line.charCodeAt(i); i < line.length && !isSpace(c) && c !== 91 && c !== 58; c = line.charCodeAt(++i));
  if (i === progStart) return false;
  const program = line.slice(progStart, i);
  let pid: number | undefined;
  if (line.charCodeAt(i) === 91) {
    const s = i + 1;
    let j = s;
    while (isDigit(line.charCodeAt(j))) j++;
    if (j === s || line.charCodeAt(j) !== 93) return false;
    pid = Number(line.slice(s, j));
    i = j + 1;
  }
  if (line.charCodeAt(i) !== 58) return false;
  i++;
  if (line.charCodeAt(i) === 32) i++;
  const message = line.slice(i);
  if (LINE_BREAK.test(message)) return false;
  tail.host = host;
  tail.program = program;
  tail.pid = pid;
  tail.message = message;
  return true;
}

/** `n` digits from `i` */
function digits(line: string, i: number, n: number): boolean {
  for (let k = i; k < i + n; k++) if (!isDigit(line.charCodeAt(k))) return false;
  return true;
}

/**
 * RFC 3339 framing (rsyslog's high-precision files: half a storm's lines) read by hand, with exactly the RFC3339
 * pattern's result; `undefined` when the line does not match it (then the pattern decides).
 */
function rfc3339(line: string): Frame | undefined {
  if (!digits(line, 0, 4) || line.charCodeAt(4) !== 45 || !digits(line, 5, 2) || line.charCodeAt(7) !== 45 || !digits(line, 8, 2)) return undefined;
  const t = line.charCodeAt(10);
  if ((t !== 84 && t !== 32) || !digits(line, 11, 2) || line.charCodeAt(13) !== 58 || !digits(line, 14, 2) || line.charCodeAt(16) !== 58 || !digits(line, 17, 2)) return undefined;
  let i = 19;
  let frac: string | undefined;
  const f = line.charCodeAt(i);
  if (f === 46 || f === 44) {
    let j = i + 1;
    while (j - i <= 9 && isDigit(line.charCodeAt(j))) j++;
    // (ten digits or more: no zone can follow, the pattern fails)
    if (j === i + 1 || isDigit(line.charCodeAt(j))) return undefined;
    frac = line.slice(i + 1, j);
    i = j;
  }
  const zoneStart = i;
  const z = line.charCodeAt(i);
  if (z === 90) i++;
  else if ((z === 43 || z === 45) && digits(line, i + 1, 2)) {
    i += 3;
    if (line.charCodeAt(i) === 58) i++;
    if (!digits(line, i, 2)) return undefined;
    i += 2;
  } else return undefined;
  const zoneEnd = i;
  if (!readTail(line, i)) return undefined;
  const at = exact(line.slice(0, 10), line.slice(11, 19), frac, line.slice(zoneStart, zoneEnd));
  return { framing: 'rfc3339', ...at, precision: (frac ?? '').length, host: tail.host, program: tail.program, pid: tail.pid, message: tail.message };
}

function nil(s: string): string | undefined {
  return s === '-' ? undefined : s;
}

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Number(s);
}

function journalJson(line: string): Frame | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object') return null;
  const ts = o.__REALTIME_TIMESTAMP;
  const ident = o.SYSLOG_IDENTIFIER ?? o._COMM;
  let msg = o.MESSAGE;
  // journald stores non-UTF-8 messages as byte arrays
  if (Array.isArray(msg)) msg = Buffer.from(msg.filter((x): x is number => typeof x === 'number')).toString('utf8');
  if (typeof ts !== 'string' || !/^\d+$/.test(ts) || typeof ident !== 'string' || typeof msg !== 'string') return null;
  const ns = BigInt(ts) * 1000n;
  return {
    framing: 'journal-json', ...(inTimeRange(ns) ? { ns } : { badTime: `__REALTIME_TIMESTAMP ${ts}: ${outOfRangeText(ns)}` }), precision: 6,
    host: typeof o._HOSTNAME === 'string' ? o._HOSTNAME : undefined,
    program: ident, pid: typeof o._PID === 'string' ? Number(o._PID) : undefined, message: msg,
  };
}

/** keepalived's syslog identities, in 1.x and 2.x forms, any case, with an optional `_<netns>_<instance>` suffix. */
export function isKeepalivedProgram(p: string): boolean {
  // a log names a handful of programs: each is tested once (a pattern per keepalived line showed in the profile)
  let is = programs.get(p);
  if (is === undefined) {
    is = /^keepalived(?:_(?:vrrp|healthcheckers|checkers|bfd))?(?:_\S+)?$/i.test(p);
    if (programs.size >= 256) programs.clear();
    programs.set(p, is);
  }
  return is;
}

const programs = new Map<string, boolean>();
