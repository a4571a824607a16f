import { promises as fsp } from 'node:fs';
import { ForensicError, type Problem } from '../../errors.js';
import { drive, type DriveOptions } from '../drive.js';
import { BatchRecorder, lentFor, replayRecorded, type Recorded } from '../lent.js';
import { invalidDateText, localTimeCheck } from '../../model/instant.js';
import { LOG_MAX_JUMP_SEC, OutlierGate, outlierText } from '../../model/outliers.js';
import { LineSplitter, type Line } from '../lines.js';
import { classify, type Classified } from './catalog.js';
import type { KaEvent } from '../../model/keepalived.js';
import { isKeepalivedProgram, KA_FILE_START, parseFrame, type Frame, type Framing, type ZonelessTime } from './framing.js';
import { classifySideLine, OTHER_SIDE_NEEDLES, SIDE_NEEDLES, SideRuns, type SideRun } from './kernel-lines.js';

export interface YearAnchor {
  /** year of the file's first line */
  firstYear: number;
  /** rotated-neighbour: dated by the first line of the next newer file of its rotated set */
  source: 'flag' | 'mtime' | 'rotated-neighbour' | 'capture' | 'now';
  weak: boolean;
  rollovers: number;
}

export interface SyslogInfo {
  file: string;
  gzip: boolean;
  bytes: number;
  lines: number;
  /** keepalived lines turned into events */
  events: number;
  /** lines of other programs, counted and skipped */
  otherLines: number;
  unframed: number;
  framings: Partial<Record<Framing, number>>;
  /** month/day of the first year-less line (lets an older rotated file be dated by this one) */
  firstDay?: { month: number; day: number };
  /** Dec → Jan steps met while reading */
  rolloversSeen: number;
  /** what the end of the pass checked the year against (yearFrom), and where its warning went in `problems` */
  yearCheck?: { first: { month: number; day: number }; last: { month: number; day: number }; lastYear: number; at: number; warned: boolean };
  hosts: string[];
  year?: YearAnchor;
  timezone: string;
  /** the kernel's and keepalived's lines about dropped packets (kernel-lines.ts), as runs, on this reader's clock */
  side: SideRun[];
  problems: Problem[];
  error?: ForensicError;
}

export interface SyslogOptions {
  /** IANA zone for zone-less times */
  tz: string;
  /** wall-clock components → epoch ms in tz */
  toEpochMs: (t: Required<Omit<ZonelessTime, 'fraction'>>) => number;
  year?: YearAnchor;
  /** flag ambiguous and non-existent local times (DST) in tz, with the reading used */
  checkLocalTimes?: boolean;
  /** find the side lines too (kernel-lines.ts: info.side) */
  sideLines?: boolean;
  /**
   * Dates the file from its first year-less line, when that line is met (one pass: no reading ahead). The end of the
   * pass then checks the assumption it makes (see mtimeAnchor).
   */
  yearFrom?: YearResolver;
}

/** The year of a file's first year-less line from that line's month/day; `check` runs at the end with the last one. */
export interface YearResolver {
  first(day: { month: number; day: number }): YearAnchor & { firstDay: { month: number; day: number } };
  check(last: { month: number; day: number }, lastYear: number): Problem | undefined;
}

const CACHE_MAX = 4096;
/** lines with no keepalived line among them that end reading a file: ~3 GB of other programs' lines */
export const MAX_WITHOUT_KEEPALIVED = 30_000_000;

/** Lines that can be keepalived's: the quick skip below, applied to the bytes before they are decoded. */
// The bytes searched are 'palived', a part of the reader's 'eepalived': Buffer#indexOf looks for a needle's first byte
// first, and 'e' is the commonest letter of any text — 'eepalived' took 200 ms to sieve 1,000,000 lines, 'palived' 75.
const KEEPALIVED_SIEVE = { contains: Buffer.from('palived'), startsWith: [0x7b /* { journal JSON */] };
// Asked for side lines (sideLines), other programs' (the kernel's, kernel-lines.ts) pass it too: each such needle is
// one more search of the whole text, 1.12× of `logs` on 1,000,000 lines (paired whole-process timing, 7 pairs) whatever the needle —
// less than the second read it replaces in analyze, but `logs` does not ask; keepalived's own pass by 'palived'.
const SIDE_SIEVE = { ...KEEPALIVED_SIEVE, also: OTHER_SIDE_NEEDLES.map((n) => Buffer.from(n)) };
/** the byte test before a line is classified as a side line (kernel-lines.ts) */
const maySide = (text: string) => SIDE_NEEDLES.some((n) => text.includes(n));
/** other programs' lines whose framing is checked (to tell a syslog from other text) before the rest are only counted */
const FRAMING_CHECKED = 200;

/**
 * Stream-free keepalived syslog reader: frames each line, skips other programs cheaply, classifies keepalived messages
 * through the catalog (cached, so a storm of identical lines costs a map lookup each), joins keepalived's wrapped
 * continuation lines to the line they continue, and puts every time on one clock.
 */
export class SyslogParser {
  readonly info: SyslogInfo;
  private readonly splitter: LineSplitter;
  /** per message: its class, and whether it may be a side line (the byte test) */
  private readonly cache = new Map<string, Classified & { side: boolean }>();
  private readonly side: SideRuns;
  /** set by timeOf with the time it returns */
  private yearInferred = false;
  private rollover = false;
  private pending: KaEvent | null = null;
  private prevDay: { month: number; day: number } | null = null;
  private lastDay: { month: number; day: number } | null = null;
  /** the first year-less line's day, when the year was worked out from it (yearFrom) */
  private firstDay: { month: number; day: number } | null = null;
  private lastSecond = { year: -1, month: -1, day: -1, hour: -1, minute: -1, second: -1, ns: 0n };
  private rollovers = 0;
  private badTimes = 0;
  private lastKeepalivedLine = 0;
  private readonly localCheck: ReturnType<typeof localTimeCheck>;
  private readonly dstSeen = new Set<string>();
  private readonly gate: OutlierGate<KaEvent>;
  private readonly hosts = new Set<string>();
  /** other programs' lines that were decoded (the splitter counts those it skipped) */
  private other = 0;

  constructor(
    file: string,
    private readonly opts: SyslogOptions,
    private readonly emit: (e: KaEvent) => void,
  ) {
    this.side = new SideRuns(file);
    this.info = { file, gzip: false, bytes: 0, lines: 0, events: 0, otherLines: 0, unframed: 0, framings: {}, rolloversSeen: 0, hosts: [], timezone: opts.tz, side: this.side.runs, problems: [] };
    if (opts.year) this.info.year = opts.year;
    this.splitter = new LineSplitter(file, (l) => this.line(l), (p) => this.info.problems.push(p), { kind: 'a syslog', blankLines: 'skip' });
    this.localCheck = opts.checkLocalTimes ? localTimeCheck(opts.tz) : null;
    this.gate = new OutlierGate<KaEvent>(emit, (e, sec, near) => {
      this.info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, line: e.line, message: outlierText(sec, near, 'lines') });
      e.timeOutlier = true;
      emit(e);
    }, (e) => e, LOG_MAX_JUMP_SEC);
  }

  write(chunk: Uint8Array): void {
    this.info.bytes += chunk.length;
    try {
      this.splitter.write(chunk);
      this.count();
      this.bound();
    } catch (err) {
      // the file stops here: the line held back (pending, or a suspect time) is judged now, not lost
      this.flush();
      this.gate.end();
      throw err;
    }
  }

  /**
   * Bounded work: a file that goes on for MAX_WITHOUT_KEEPALIVED lines with no keepalived line among them is not read
   * further (blank runs are bounded by the splitter) — said as an error naming the line where reading stopped; what
   * was read before is kept.
   */
  private bound(): void {
    const s = this.splitter;
    const since = s.lines - this.lastKeepalivedLine;
    if (since < MAX_WITHOUT_KEEPALIVED) return;
    throw new ForensicError('E_BAD_LENGTH', `stopped reading after ${since} lines without a keepalived line (a bound against endless or bomb-like input); the rest of the file was not read`, { file: this.info.file, line: s.lines });
  }

  end(): void {
    this.splitter.end();
    this.count();
    this.flush();
    this.gate.end();
    const y = this.info.year;
    if (this.opts.yearFrom && y && this.lastDay && this.firstDay) {
      const lastYear = y.firstYear + this.rollovers;
      const p = this.opts.yearFrom.check(this.lastDay, lastYear);
      this.info.yearCheck = { first: this.firstDay, last: this.lastDay, lastYear, at: this.info.problems.length, warned: Boolean(p) };
      if (p) this.info.problems.push(p);
    }
    this.info.hosts = [...this.hosts];
    if (this.info.lines > 0 && this.info.unframed === this.info.lines) {
      // the whole file is refused: its per-line "no syslog framing" warnings would only repeat that
      this.info.problems = this.info.problems.filter((p) => p.code !== 'E_UNKNOWN_FORMAT');
      throw new ForensicError('E_UNKNOWN_FORMAT', 'not a syslog: no line has a syslog, journal or keepalived log-file framing', { file: this.info.file, line: 1 });
    }
  }

  /** Live counters include the lines the splitter's sieve passed over without decoding. */
  private count(): void {
    this.info.lines = this.splitter.lines;
    this.info.otherLines = this.other + this.splitter.skipped;
  }

  private line(l: Line): void {
    const t = l.text;
    if (!t) return;
    // the quick skip: most lines of a real syslog are other programs'
    // keepalived's own log-file/console framing never names the program: its lines are recognised by their start
    if (!t.includes('eepalived') && !t.startsWith('{') && !KA_FILE_START.test(t)) {
      // framing is checked on the first lines only (to tell a syslog from other text); after that, just counted —
      // and then the same test moves into the splitter, so the rest are never decoded
      const side = this.opts.sideLines === true && maySide(t);
      const f = side || this.other + this.info.unframed < FRAMING_CHECKED ? parseFrame(t) : null;
      if (this.other + this.info.unframed >= FRAMING_CHECKED || f) this.other++;
      else this.unframed(l);
      if (side && f) this.sideLine(l, f);
      // (not in keepalived's own log file, whose lines the sieve would pass over)
      if (this.other + this.info.unframed >= FRAMING_CHECKED && !this.info.framings['keepalived-log-file']) this.splitter.sieve = this.opts.sideLines ? SIDE_SIEVE : KEEPALIVED_SIEVE;
      return;
    }
    const f = parseFrame(t);
    if (!f) return this.unframed(l);
    this.info.framings[f.framing] = (this.info.framings[f.framing] ?? 0) + 1;
    if (!isKeepalivedProgram(f.program)) {
      this.other++;
      if (this.opts.sideLines && maySide(f.message)) this.sideLine(l, f);
      return;
    }
    if (f.host) this.hosts.add(f.host);
    this.lastKeepalivedLine = l.line;
    // keepalived wraps long lines ("Command line: …"): the continuation repeats the prefix and indents the text
    if (this.pending && /^\s{4,}/.test(f.message) && this.pending.program === f.program && this.pending.pid === f.pid) {
      this.pending.message += ' ' + f.message.trim();
      return;
    }
    const time = this.timeOf(l, f);
    if (time === null) return;
    const yearInferred = this.yearInferred;
    const rollover = this.rollover;
    let c = this.cache.get(f.message);
    if (!c) {
      c = { ...classify(f.message), side: this.opts.sideLines === true && maySide(f.message) };
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(f.message, c);
    }
    if (c.side) this.sideLine(l, f, time);
    this.flush();
    const e: KaEvent = {
      file: this.info.file, line: l.line, time, precision: f.precision, timeFrom: f.ns !== undefined ? 'exact' : 'zoned',
      program: f.program, type: c.type, fields: c.fields, message: f.message,
    };
    if (yearInferred) e.yearInferred = true;
    if (rollover) e.yearRollover = true;
    if (f.host) e.host = f.host;
    if (f.pid !== undefined) e.pid = f.pid;
    this.pending = e;
  }

  /** A line that may be a side line (kernel-lines.ts): classified, and if it is one, timed on this reader's clock. */
  private sideLine(l: Line, f: Frame, time?: bigint): void {
    const side = classifySideLine(f);
    if (!side) return;
    const at = time ?? this.timeOf(l, f);
    if (at !== null) this.side.add(side, l.line, at, f);
  }

  /**
   * A line's time in ns since epoch, or null (a bad time: said, the line skipped). Year-less lines take the file's
   * year, moved by each New Year met (yearInferred and rollover are set for the caller).
   */
  private timeOf(l: Line, f: Frame): bigint | null {
    this.yearInferred = false;
    this.rollover = false;
    if (f.badTime !== undefined) {
      this.badTime(l, f.badTime);
      return null;
    }
    if (f.ns !== undefined) return f.ns;
    const z = f.zoneless!;
    let year = z.year;
    if (year === undefined) {
      const step = newYearStep(this.prevDay, z);
      if (step === 1) {
        this.rollovers++;
        this.info.rolloversSeen = this.rollovers;
        this.rollover = true;
      }
      // a December line met after January's (written late): it is last year's, and moves nothing after it
      // (the day kept is a new object only when the day changes: not two objects per line)
      if (step !== -1 && !sameDay(this.prevDay, z)) this.prevDay = { month: z.month, day: z.day };
      if (!this.info.year && this.opts.yearFrom) {
        this.firstDay = { month: z.month, day: z.day };
        this.info.year = this.opts.yearFrom.first(this.firstDay);
      }
      if (step !== -1) this.lastDay = this.prevDay;
      year = (this.info.year?.firstYear ?? new Date().getUTCFullYear()) + this.rollovers + (step === -1 ? -1 : 0);
      this.yearInferred = this.info.year?.source !== 'flag';
    }
    const bad = invalidDateText({ year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second });
    if (bad) {
      this.badTime(l, bad);
      return null;
    }
    // a leap second (:60) is read as the POSIX clock shows it: 23:59:59 once more
    const secNs = this.secondNs(year, z.second > 59 ? { ...z, second: 59 } : z);
    if (this.localCheck) {
      const dst = this.localCheck({ year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: Math.min(z.second, 59) }, Number(secNs / 1_000_000n));
      const hour = `${year}-${z.month}-${z.day}-${z.hour}`;
      if (dst && !this.dstSeen.has(hour)) {
        // one warning per ambiguous or missing hour, not one per line in it
        this.dstSeen.add(hour);
        this.info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, line: l.line, message: dst });
      }
    }
    return z.fraction ? secNs + BigInt(z.fraction.padEnd(9, '0').slice(0, 9)) : secNs;
  }

  /**
   * The wall-clock second in ns since epoch; the last one is kept, since a storm writes thousands of lines a second
   * and converting each through the zone (and BigInt) was a third of the keepalived lines' cost.
   */
  private secondNs(year: number, z: ZonelessTime): bigint {
    const k = this.lastSecond;
    if (k.year !== year || k.second !== z.second || k.minute !== z.minute || k.hour !== z.hour || k.day !== z.day || k.month !== z.month) {
      this.lastSecond = { year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second, ns: BigInt(this.opts.toEpochMs({ year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second })) * 1_000_000n };
    }
    return this.lastSecond.ns;
  }

  private flush(): void {
    if (!this.pending) return;
    this.info.events++;
    // a float is plenty for a month-scale test, and cheaper than a BigInt division per event
    this.gate.offer(this.pending, Number(this.pending.time) / 1e9);
    this.pending = null;
  }

  /** A keepalived line whose time is none (2026-02-30, out of range): an error with its line; the line is not used. */
  private badTime(l: Line, why: string): void {
    if (++this.badTimes <= 20) this.info.problems.push({ code: 'E_BAD_TIME', severity: 'error', file: this.info.file, line: l.line, message: `${why}; line skipped` });
  }

  private unframed(l: Line): void {
    this.info.unframed++;
    if (this.info.unframed <= 20) {
      this.info.problems.push({ code: 'E_UNKNOWN_FORMAT', severity: 'warning', file: this.info.file, line: l.line, message: 'line has no syslog framing; skipped' });
    }
  }
}

const MONTH_DAY = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) /;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The month/day of a file's first line that starts with one (any program's), read no further than that line: how a
 * rotated file's first line dates its older neighbour without reading the whole file (the old year pass read every
 * file of a set twice). Binary content (a gzip bomb of zeros) stops it as it stops the reading pass.
 */
export async function peekFirstDay(path: string, chunkSize?: number): Promise<{ month: number; day: number } | undefined> {
  let first: { month: number; day: number } | undefined;
  const peek = (emit: (d: { month: number; day: number }) => void) => {
    const splitter = new LineSplitter(path, (l) => {
      const m = first ? null : MONTH_DAY.exec(l.text);
      if (!m) return;
      first = { month: MONTH_NAMES.indexOf(m[1]), day: Number(m[2]) };
      emit(first);
    }, () => {}, { textBytes: 16, kind: 'a syslog', blankLines: 'skip' });
    return { info: { gzip: false, bytes: 0 }, write: (c: Uint8Array) => splitter.write(c), end: () => splitter.end() };
  };
  // the first batch holds the day: the generator is left there (its input closed)
  for await (const batch of drive(path, peek, { chunkSize })) if (batch.length) break;
  return first;
}

/** month/day later than `anchor`'s (a day of slack for zones), i.e. in the anchor's year it would be after it */
function after(d: { month: number; day: number }, anchor: Date): boolean {
  return d.month > anchor.getUTCMonth() || (d.month === anchor.getUTCMonth() && d.day > anchor.getUTCDate() + 1);
}

/**
 * One-pass dating from a time the log's lines cannot be after — the file's mtime (weak: copying changes it), or the
 * first line of the next newer file of its rotated set: the first year-less line is given the latest year that does
 * not put it after the anchor. That equals counting back from the last line whenever the log covers less than a year
 * before its anchor — which the end of the pass checks: a last line that would fall after the anchor means the file
 * was touched long after it was written (or the set is out of order, or spans more than a year), and is reported,
 * naming --year.
 */
export function anchorYear(path: string, anchor: Date, source: 'mtime' | 'rotated-neighbour' | 'now'): YearResolver {
  return {
    first: (firstDay) => ({ firstYear: anchor.getUTCFullYear() - (after(firstDay, anchor) ? 1 : 0), source, weak: source !== 'rotated-neighbour', rollovers: 0, firstDay }),
    check: (last, lastYear) => {
      const y = anchor.getUTCFullYear();
      if (lastYear < y || (lastYear === y && !after(last, anchor))) return undefined;
      const from = source === 'rotated-neighbour' ? 'the first line of the next newer file of its rotated set' : source === 'mtime' ? 'the file\'s mtime' : 'today\'s date';
      const why = source === 'rotated-neighbour' ? 'the set is out of order or the file spans more than a year' : 'the file was changed long after it was written or spans more than a year';
      return { code: 'E_BAD_TIME', severity: 'warning', file: path, message: `year-less times dated from ${from} (${anchor.toISOString().slice(0, 10)}) put its last line after it: ${why}; give --year` };
    },
  };
}

/** Dating by the file's mtime (see anchorYear). */
export function mtimeAnchor(path: string, mtime: Date): YearResolver {
  return anchorYear(path, mtime, 'mtime');
}

/**
 * One-pass dating by a capture of the same period (analyze): the first year-less line is given the year that puts
 * it nearest the capture's first packet. That is the year that puts the log's whole span nearest (yearNear, what the
 * old second pass computed) whenever the capture lies within half a year of the log's first line; the end of the pass
 * computes the span's year and reports a difference, naming --year.
 */
export function nearYear(path: string, near: Date): YearResolver {
  let chosen = 0;
  let firstDay = { month: 0, day: 1 };
  return {
    first: (d) => {
      firstDay = d;
      chosen = yearNear(d, d, 0, near);
      return { firstYear: chosen, source: 'capture', weak: false, rollovers: 0, firstDay: d };
    },
    check: (last, lastYear) => {
      const span = yearNear(firstDay, last, lastYear - chosen, near);
      if (span === chosen) return undefined;
      return { code: 'E_BAD_TIME', severity: 'warning', file: path, message: `year-less times dated by the capture (${near.toISOString().slice(0, 10)}) from the log's first line (${chosen}); its whole span would put them in ${span}: give --year` };
    },
  };
}

/**
 * The first line's year that puts the log's span [first line, last line] closest to `near` (0 when near falls inside).
 * Candidates are near's year and its neighbours, so a capture from 2 Jan dates a log that started on 30 Dec.
 */
export function yearNear(first: { month: number; day: number }, last: { month: number; day: number }, rollovers: number, near: Date): number {
  const y0 = near.getUTCFullYear();
  let best = y0;
  let bestDist = Infinity;
  for (const y of [y0 - 1 - rollovers, y0 - rollovers, y0, y0 + 1]) {
    const a = Date.UTC(y, first.month, first.day);
    const b = Date.UTC(y + rollovers, last.month, last.day, 23, 59, 59);
    const t = near.getTime();
    const dist = t < a ? a - t : t > b ? t - b : 0;
    if (dist < bestDist) [best, bestDist] = [y, dist];
  }
  return best;
}

/**
 * Dates every file of a rotated set (given oldest first, as orderRotated puts them) in one pass each: the newest by
 * its mtime, each older one by the first line of the next newer file — its last line cannot be later than that. Only
 * each file's first lines are read here (peekFirstDay); the reading pass checks the rest (anchorYear).
 */
export async function rotatedYears(paths: string[], chunkSize?: number): Promise<Map<string, YearResolver>> {
  const out = new Map<string, YearResolver>();
  let newerFirst: Date | undefined;
  for (const p of [...paths].reverse()) {
    const day = await peekFirstDay(p, chunkSize).catch(() => undefined);
    if (!day) continue;
    let r: YearResolver;
    if (newerFirst) r = anchorYear(p, newerFirst, 'rotated-neighbour');
    else {
      const st = p === '-' ? null : await fsp.stat(p).catch(() => null);
      r = anchorYear(p, st ? st.mtime : new Date(), st ? 'mtime' : 'now');
    }
    out.set(p, r);
    newerFirst = new Date(Date.UTC(r.first(day).firstYear, day.month, day.day, 23, 59, 59));
  }
  return out;
}

export interface ReadSyslogOptions extends DriveOptions {
  tz: string;
  /** a capture of the same period (analyze): dates year-less lines when --year is absent */
  near?: Date;
  toEpochMs: SyslogOptions['toEpochMs'];
  checkLocalTimes?: boolean;
  year?: number;
  /** how this file's year is worked out when --year is absent (from its rotated neighbours: rotatedYears) */
  yearFrom?: YearResolver;
  /** find the side lines too (kernel-lines.ts: info.side) */
  sideLines?: boolean;
  /** batch's scan: keeps what the pass gave, for the analysis (lent.ts) */
  keep?: SyslogRecorder;
}

/**
 * A syslog read by batch's scan (in UTC, dated by --year or its mtime), for its analysis (lent.ts). The summary is the
 * reading pass's (before readSyslog's own additions); `year` is the --year it was read with.
 */
export interface SyslogReplay extends Recorded<KaEvent, SyslogInfo> {
  source: 'syslog';
  tz: string;
  checkLocalTimes: boolean;
  sideLines: boolean;
  year?: number;
}

/** Records a syslog's reading pass as the scan reads it (its batches up to maxRecords events): `replay` at the end. */
export class SyslogRecorder {
  private readonly kept: BatchRecorder<KaEvent>;
  replay: SyslogReplay | null = null;

  constructor(maxRecords: number) {
    this.kept = new BatchRecorder(maxRecords);
  }

  add(b: KaEvent[]): void {
    this.kept.add(b);
  }

  /** the pass's summary, copied before readSyslog adds to it */
  end(info: SyslogInfo, opts: ReadSyslogOptions): void {
    const r = this.kept.finish({ ...info, problems: [...info.problems], ...(info.year ? { year: { ...info.year } } : {}) });
    this.replay = r && { ...r, source: 'syslog', tz: opts.tz, checkLocalTimes: Boolean(opts.checkLocalTimes), sideLines: Boolean(opts.sideLines), ...(opts.year !== undefined ? { year: opts.year } : {}) };
  }
}

/**
 * A replay as this read would have made it, or undefined when it would differ: another zone, another --year, or a
 * year-less first line that this read's anchor (a capture, a rotated neighbour) dates in another year than the scan's
 * mtime did. Same first year, same times: only the anchor's name and the end-of-pass check are this read's own.
 */
function redated(r: SyslogReplay, opts: ReadSyslogOptions, yearFrom: YearResolver | undefined): SyslogReplay | undefined {
  if (r.tz !== opts.tz || r.checkLocalTimes !== Boolean(opts.checkLocalTimes) || r.sideLines !== Boolean(opts.sideLines) || r.year !== opts.year) return undefined;
  const y = r.info.year;
  const check = r.info.yearCheck;
  if (opts.year !== undefined || !y) return r;
  if (!yearFrom || !check) return undefined;
  const anchor = yearFrom.first(check.first);
  if (anchor.firstYear !== y.firstYear) return undefined;
  const problems = r.info.problems.filter((_, i) => i !== check.at || !check.warned);
  const p = yearFrom.check(check.last, check.lastYear);
  if (p) problems.splice(check.at, 0, p);
  return { ...r, info: { ...r.info, problems, year: { ...anchor, rollovers: y.rollovers }, yearCheck: { ...check, warned: Boolean(p) } } };
}

export async function* readSyslog(path: string, opts: ReadSyslogOptions): AsyncGenerator<KaEvent[], SyslogInfo> {
  // --year names the first line's year; rollovers are then counted on the way. Without it a file is read once: its
  // first year-less line is dated from an anchor — its rotated neighbour's first line, a capture of the same period,
  // or its mtime — and the end of the pass checks that anchor against the last line. stdin has none of them: its
  // year-less times are read as this year (flagged).
  let year: YearAnchor | undefined;
  let yearFrom: YearResolver | undefined;
  if (opts.year !== undefined) year = { firstYear: opts.year, source: 'flag', weak: false, rollovers: 0 };
  else if (opts.yearFrom) yearFrom = opts.yearFrom;
  else if (path !== '-' && opts.near) yearFrom = nearYear(path, opts.near);
  else if (path !== '-') {
    const st = await fsp.stat(path).catch(() => null);
    if (st) yearFrom = mtimeAnchor(path, st.mtime);
  }
  // read already by batch's scan, in the same zone, dated the same: its events, as they came
  const lent = opts.opened ? undefined : lentFor<SyslogReplay>(path, 'syslog');
  const replayed = lent && redated(lent, opts, yearFrom);
  let info: SyslogInfo;
  if (replayed) info = yield* replayRecorded(replayed);
  else {
    const it = drive<KaEvent, SyslogInfo>(path, (emit) => new SyslogParser(path, { tz: opts.tz, toEpochMs: opts.toEpochMs, checkLocalTimes: opts.checkLocalTimes, sideLines: opts.sideLines, year, yearFrom }, emit), opts);
    let step = await it.next();
    for (; !step.done; step = await it.next()) {
      opts.keep?.add(step.value);
      yield step.value;
    }
    info = step.value;
    opts.keep?.end(info, opts);
  }
  if (!year && !yearFrom && (info.framings.rfc3164 ?? 0) > 0) {
    info.year = { firstYear: new Date().getUTCFullYear(), source: 'now', weak: true, rollovers: 0 };
    info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', file: path, message: 'year-less times read as this year (stdin); give --year' });
  }
  if (info.year) info.year.rollovers = Math.max(info.year.rollovers, info.rolloversSeen);
  if (info.year && info.year.rollovers > 0) {
    info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', file: path, message: `the log crosses ${info.year.rollovers} new year(s); times after each Dec → Jan step are read in the next year` });
  }
  return info;
}

function sameDay(a: { month: number; day: number } | null, b: { month: number; day: number }): boolean {
  return a !== null && a.month === b.month && a.day === b.day;
}

/**
 * How a year-less line moves the year: 1 when its month steps from late in the year to early (Dec → Jan, a new year);
 * -1 for a last-days-of-December line met right after New Year's first days (written late, out of order: it is last
 * year's, and moves nothing after it — it used to push every later line a year forward); 0 otherwise (a sparse log
 * may jump months ahead within a year).
 */
export function newYearStep(prev: { month: number; day: number } | null, cur: { month: number; day: number }): -1 | 0 | 1 {
  if (!prev) return 0;
  if (cur.month === 11 && cur.day >= 30 && prev.month === 0 && prev.day <= 2) return -1;
  if (cur.month < prev.month - 6) return 1;
  return 0;
}

/** The rotated set a file belongs to and its age in it (lower = older): messages.2.gz → ["messages", -2]. */
export function rotationKey(p: string): [string, number] {
  // s: a newline in a file name is part of the name (it made the match fail and logs crash)
  const m = /^(.*?)(?:\.(\d+)|-(\d{8}))?(?:\.gz)?$/s.exec(p)!;
  if (m[2] !== undefined) return [m[1], -Number(m[2])];
  if (m[3] !== undefined) return [m[1], Number(m[3]) - 1e9];
  return [m[1], 0];
}

/**
 * A rotated set (messages, messages.1, messages.2.gz, syslog-20261124…) read oldest first, so line order is time
 * order; unrelated files keep their given order.
 */
export function orderRotated(paths: string[]): string[] {
  const firstIndex = new Map<string, number>();
  paths.forEach((p, i) => {
    const b = rotationKey(p)[0];
    if (!firstIndex.has(b)) firstIndex.set(b, i);
  });
  return [...paths].sort((a, b) => {
    const [ba, na] = rotationKey(a);
    const [bb, nb] = rotationKey(b);
    return ba === bb ? na - nb : firstIndex.get(ba)! - firstIndex.get(bb)!;
  });
}
