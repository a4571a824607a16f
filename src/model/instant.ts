import { ForensicError } from '../errors.js';

// date-fns and @date-fns/tz are loaded only when a zone other than UTC is asked for: start-up time matters for a
// command that is otherwise done in a fraction of a second.
type ZoneLib = { TZDate: typeof import('@date-fns/tz').TZDate; format: typeof import('date-fns').format };
let zoneLib: ZoneLib | null = null;

/**
 * Time on one clock: nanoseconds since the Unix epoch as a bigint. Captures carry up to ns precision and pcapng
 * timestamps exceed 2^53 at ns resolution, so a float would lose digits.
 */
export type EpochNs = bigint;

export const NS_PER_SEC = 1_000_000_000n;

/**
 * The times this tool reads: years 0000 to 9999, what RFC 3339 can write with its four-digit year (and well inside
 * JavaScript Date's ±275,760 years). A timestamp outside is damage — a pcapng tick count of 2^64−1, an if_tsoffset of
 * ±2^63, a conntrack event time of 99999999999999 s — and is flagged (E_BAD_TIME), never formatted.
 */
export const TIME_RANGE_SEC = { min: -62_167_219_200, max: 253_402_300_799 } as const;
const MIN_NS = BigInt(TIME_RANGE_SEC.min) * NS_PER_SEC;
const MAX_NS = (BigInt(TIME_RANGE_SEC.max) + 1n) * NS_PER_SEC - 1n;

export function inTimeRange(ns: EpochNs): boolean {
  return ns >= MIN_NS && ns <= MAX_NS;
}

/** Why a time cannot be used, for an E_BAD_TIME message. */
export function outOfRangeText(ns: EpochNs): string {
  return `timestamp ${ns / NS_PER_SEC} s is outside the years 0000-9999`;
}

/** Days in a month (0-11) of a (proleptic Gregorian) year: 2026-02-30 is no date. */
export function daysInMonth(year: number, month: number): number {
  return month === 1 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month];
}

/** A calendar date and time of day that exists (a leap second, :60, is allowed); else why not. */
export function invalidDateText(t: { year: number; month: number; day: number; hour: number; minute: number; second: number }): string | null {
  // the words are made only for a time that is none (every log line's time passes here)
  const p2 = (n: number) => String(n).padStart(2, '0');
  const shown = () => `${String(t.year).padStart(4, '0')}-${p2(t.month + 1)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
  if (t.year > 9999) return `year ${t.year} is beyond 9999`;
  if (t.month < 0 || t.month > 11 || t.day < 1 || t.day > daysInMonth(t.year, t.month)) return `${shown()} is no calendar date`;
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return `${shown()} is no time of day`;
  return null;
}

export function fromSeconds(sec: number, nsec: number): EpochNs {
  return BigInt(sec) * NS_PER_SEC + BigInt(nsec);
}

function splitNs(ns: EpochNs): { ms: number; fracNs: bigint } {
  let sec = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) {
    frac += NS_PER_SEC;
    sec -= 1n;
  }
  return { ms: Number(sec) * 1000, fracNs: frac };
}

function fraction(fracNs: bigint, digits: number): string {
  if (digits <= 0) return '';
  return '.' + fracNs.toString().padStart(9, '0').slice(0, Math.min(9, digits));
}

/**
 * Civil time in UTC → epoch ms, or why it is no time. A leap second (`23:59:60.5`, legal in RFC 3339) is read as the
 * POSIX clock shows it: the second 23:59:59 once more, so it stays between its neighbours.
 */
export function civilUtcMs(t: { year: number; month: number; day: number; hour: number; minute: number; second: number }): number | string {
  const bad = invalidDateText(t);
  if (bad) return bad;
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month, t.day); // not Date.UTC: it reads years 0-99 as 1900-1999
  d.setUTCHours(t.hour, t.minute, Math.min(t.second, 59));
  return d.getTime();
}

/** RFC 3339 pieces (`2026-11-25`, `05:55:08`, fraction digits, `Z`/`+01:00`/`+0100`) → epoch ns, or why it is no time. */
export function rfc3339Ns(date: string, time: string, frac: string | undefined, zone: string): bigint | string {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second] = time.split(':').map(Number);
  const ms = civilUtcMs({ year, month: month - 1, day, hour, minute, second });
  if (typeof ms === 'string') return ms;
  let offMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!z || Number(z[2]) > 23 || Number(z[3]) > 59) return `zone offset ${zone} is no offset`;
    offMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  return BigInt(ms - offMin * 60_000) * 1_000_000n + BigInt((frac ?? '').padEnd(9, '0').slice(0, 9) || '0');
}

/** RFC 3339 UTC with nine fractional digits: the report contract's time format. */
export function toRfc3339(ns: EpochNs, digits = 9): string {
  // readers flag out-of-range times; should one slip through, it is shown as it is rather than crash the run
  if (!inTimeRange(ns)) return `invalid:${ns}ns`;
  const { ms, fracNs } = splitNs(ns);
  // the second's text once per second (a log of a storm has thousands of events in each)
  if (isoSecond.ms !== ms) isoSecond = { ms, text: new Date(ms).toISOString().slice(0, 19) }; // yyyy-mm-ddThh:mm:ss
  return isoSecond.text + fraction(fracNs, digits) + 'Z';
}

let isoSecond = { ms: NaN, text: '' };

export type TimeStyle = 'tttt' | 'iso' | 'epoch';

/**
 * Checks an IANA zone name once, up front, so a typo is a usage error and not a wrong report; loads the zone
 * support that formatInstant needs for it.
 */
export async function prepareZone(tz: string): Promise<string> {
  if (tz === 'UTC') return tz;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ForensicError('E_USAGE', `unknown time zone "${tz}" (use an IANA name such as Europe/Berlin or UTC)`);
  }
  if (!zoneLib) {
    const [{ TZDate }, { format }] = await Promise.all([import('@date-fns/tz'), import('date-fns')]);
    zoneLib = { TZDate, format };
  }
  return tz;
}

/**
 * Human time in a zone. `tttt` is tcpdump -tttt's layout; `iso` adds the zone offset; `epoch` is seconds.fraction.
 * Fractional digits come from the source's own precision, never from a float.
 */
export function formatInstant(ns: EpochNs, tz: string, style: TimeStyle, digits: number): string {
  const { ms, fracNs } = splitNs(ns);
  if (!inTimeRange(ns) && style !== 'epoch') return `invalid:${ns}ns`;
  if (style === 'epoch') {
    const sec = (ns - fracNs) / NS_PER_SEC;
    return sec.toString() + fraction(fracNs, digits);
  }
  const m = lastSecond;
  if (m.ms !== ms || m.tz !== tz || m.style !== style) {
    // a timeline prints thousands of events a second (a storm): the second's text is made once
    lastSecond = { ms, tz, style, ...secondText(ms, tz, style) };
  }
  return lastSecond.base + fraction(fracNs, digits) + lastSecond.zone;
}

let lastSecond = { ms: NaN, tz: '', style: '' as TimeStyle, base: '', zone: '' };
let utcDay = { day: NaN, text: '' };
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** A whole second's date and time in `tz`, and the zone suffix `iso` adds. */
function secondText(ms: number, tz: string, style: TimeStyle): { base: string; zone: string } {
  if (tz === 'UTC') {
    // the date is made once per day, the time of day from two-digit pieces: a Date and its ISO text per second was
    // the logs command's hottest function on a log with a line every few seconds
    const day = Math.floor(ms / 86_400_000);
    if (day !== utcDay.day) utcDay = { day, text: new Date(day * 86_400_000).toISOString().slice(0, 10) };
    const sec = Math.floor((ms - day * 86_400_000) / 1000);
    const time = TWO[Math.floor(sec / 3600)] + ':' + TWO[Math.floor(sec / 60) % 60] + ':' + TWO[sec % 60];
    return { base: utcDay.text + (style === 'tttt' ? ' ' : 'T') + time, zone: style === 'iso' ? 'Z' : '' };
  }
  if (!zoneLib) throw new Error(`prepareZone("${tz}") must run before formatting in that zone`);
  const d = new zoneLib.TZDate(ms, tz);
  return { base: zoneLib.format(d, style === 'tttt' ? 'yyyy-MM-dd HH:mm:ss' : "yyyy-MM-dd'T'HH:mm:ss"), zone: style === 'iso' ? zoneLib.format(d, 'xxx') : '' };
}

/** Wall-clock components in `tz` → epoch ms (for zone-less log times). prepareZone(tz) must have run. */
export function wallClockToEpochMs(tz: string): (t: { year: number; month: number; day: number; hour: number; minute: number; second: number }) => number {
  if (tz === 'UTC') return (t) => Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second);
  if (!zoneLib) throw new Error(`prepareZone("${tz}") must run before reading wall-clock times in that zone`);
  const { TZDate } = zoneLib;
  return (t) => new TZDate(t.year, t.month, t.day, t.hour, t.minute, t.second, tz).getTime();
}

/**
 * For zone-less log times read in `tz`: says when a wall-clock time is ambiguous (it happens twice when clocks go
 * back) or does not exist (skipped when they go forward), and which reading was used — null when it is neither.
 * UTC has no such times. prepareZone(tz) must have run.
 */
export function localTimeCheck(tz: string): ((t: { year: number; month: number; day: number; hour: number; minute: number; second: number }, ms: number) => string | null) | null {
  if (tz === 'UTC') return null;
  if (!zoneLib) throw new Error(`prepareZone("${tz}") must run before reading wall-clock times in that zone`);
  const { TZDate } = zoneLib;
  const offsetMin = (ms: number) => -new TZDate(ms, tz).getTimezoneOffset();
  const utc = (o: number) => `UTC${o < 0 ? '-' : '+'}${String(Math.floor(Math.abs(o) / 60)).padStart(2, '0')}:${String(Math.abs(o) % 60).padStart(2, '0')}`;
  return (t, ms) => {
    const before = offsetMin(ms - 3 * 3_600_000);
    const after = offsetMin(ms + 3 * 3_600_000);
    if (before === after) return null; // no change of offset near: the common case, two lookups
    const wall = civilUtcMs(t);
    if (typeof wall === 'string') return null;
    const readings = [before, after].filter((o) => offsetMin(wall - o * 60_000) === o);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const shown = `${t.year}-${p2(t.month + 1)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
    const used = utc(offsetMin(ms));
    if (readings.length === 2) {
      return `local time ${shown} happens twice in ${tz} (clocks go back): read as the ${ms === wall - before * 60_000 ? 'first' : 'second'} occurrence, ${used}`;
    }
    if (readings.length === 0) return `local time ${shown} does not exist in ${tz} (clocks go forward): read as ${used}`;
    return null;
  };
}
