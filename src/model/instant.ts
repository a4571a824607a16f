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

/** RFC 3339 UTC with nine fractional digits: the report contract's time format. */
export function toRfc3339(ns: EpochNs, digits = 9): string {
  const { ms, fracNs } = splitNs(ns);
  const iso = new Date(ms).toISOString(); // yyyy-mm-ddThh:mm:ss.000Z
  return iso.slice(0, 19) + fraction(fracNs, digits) + 'Z';
}

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

/** A whole second's date and time in `tz`, and the zone suffix `iso` adds. */
function secondText(ms: number, tz: string, style: TimeStyle): { base: string; zone: string } {
  if (tz === 'UTC') {
    const iso = new Date(ms).toISOString();
    return { base: style === 'tttt' ? iso.slice(0, 10) + ' ' + iso.slice(11, 19) : iso.slice(0, 19), zone: style === 'iso' ? 'Z' : '' };
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
