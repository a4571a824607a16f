import { promises as fsp } from 'node:fs';
import { memberStat } from '../archive/members.js';
import { ForensicError } from '../../errors.js';
import { drive } from '../drive.js';
import type { OpenedInput } from '../input.js';
import { LineSplitter, type Line } from '../lines.js';
import type { ConntrackEntry, ConntrackInfo, DumpTime } from '../../model/conntrack.js';
import { PROTO } from './entry.js';
import { lentFor, replayRecorded, type Recorded } from '../lent.js';
import { parseDateLine, sosCommandTime, timeFromName } from './dump-time.js';
import { protoNumberAt } from './sieve.js';
import { parseTextLine, peekTextLine, type LightEntry, type LineResult } from './text-line.js';
import { parseXmlLine } from './xml-line.js';

/** Fewer problems than this are listed one by one; the rest are counted (a binary file is not 10^6 warnings). */
const MAX_LISTED_PROBLEMS = 50;

/**
 * Stream-free parser for one conntrack dump or event log: push chunks, get entries. The format is decided by the
 * content (XML or text, then the shape of the first entry), never by the file name.
 */
export class ConntrackParser {
  readonly info: ConntrackInfo;
  private readonly splitter: LineSplitter;
  private xml: boolean | null = null;
  private firstBad: { line: number; text: string } | undefined;
  private badLines = 0;
  private badTimes = 0;

  constructor(
    file: string,
    private readonly onEntry: (e: ConntrackEntry) => void,
    /** dump time known before reading (name, --at, mtime); a date line in the file overrides it */
    fallback: DumpTime | null = null,
    /** decides from a cheap look whether a text line is worth a full parse (false: counted, not parsed) */
    private readonly prefilter?: (l: LightEntry) => boolean,
    /** decides from a text line's protocol number, read from its bytes, whether it is decoded at all (see sieve.ts) */
    private readonly protocols?: (protoNum: number) => boolean,
  ) {
    this.info = { file, format: null, options: [], gzip: false, bytes: 0, lines: 0, entries: 0, dumpTime: null, problems: [] };
    this.splitter = new LineSplitter(file, (l) => this.line(l), (p) => this.info.problems.push(p), { kind: 'a conntrack dump or event log', blankLines: 'skip' });
    this.fallback = fallback;
  }

  private readonly fallback: DumpTime | null;

  write(chunk: Uint8Array): void {
    this.info.bytes += chunk.length;
    this.splitter.write(chunk);
    this.countSieved();
  }

  end(): void {
    this.splitter.end();
    this.countSieved();
    if (this.badLines > MAX_LISTED_PROBLEMS) {
      this.info.problems.push({ code: 'E_UNKNOWN_FORMAT', severity: 'warning', file: this.info.file, message: `${this.badLines - MAX_LISTED_PROBLEMS} more lines that are not conntrack entries were skipped` });
    }
    if (this.badTimes > MAX_LISTED_PROBLEMS) {
      this.info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, message: `${this.badTimes - MAX_LISTED_PROBLEMS} more lines with unusable times were skipped` });
    }
    if (this.info.entries === 0) {
      this.info.problems.push({ code: 'E_UNKNOWN_FORMAT', severity: 'warning', file: this.info.file, message: this.info.lines ? 'no conntrack entries in this file' : 'the file is empty: no conntrack entries' });
    }
  }

  private line(l: Line): void {
    this.info.lines = l.line;
    const t = l.text.trim();
    if (!t) return;
    if (this.xml === null) {
      if (this.info.entries === 0 && this.info.dumpTime === null) {
        const at = parseDateLine(t);
        if (at !== null) {
          this.info.dumpTime = { ns: at, source: 'file-content', weak: false, via: { kind: 'date-line', line: l.line } };
          return;
        }
      }
      this.xml = t.startsWith('<');
    }
    if (this.prefilter && !this.xml && this.info.entries > 0) {
      const light = peekTextLine(t);
      if (light && !this.prefilter(light)) {
        this.info.entries++;
        return;
      }
    }
    const r: LineResult = this.xml ? parseXmlLine(l.text) : parseTextLine(l.text);
    if ('skip' in r) return;
    if ('error' in r && r.badTime) {
      // an entry with a time that cannot be used: flagged and skipped, and no sign that this is another kind of file
      if (++this.badTimes <= MAX_LISTED_PROBLEMS) this.info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, line: l.line, message: `${r.error}; line skipped` });
      return;
    }
    if ('error' in r) {
      this.badLines++;
      // nothing but non-entries at the top: this is another kind of file; stop instead of warning for every line
      if (this.info.entries === 0 && this.badLines >= 5) {
        // the refusal names the first line; the per-line warnings before it would only repeat it
        this.info.problems = this.info.problems.filter((p) => p.code !== 'E_UNKNOWN_FORMAT');
        throw new ForensicError('E_UNKNOWN_FORMAT', `not a conntrack dump or event log (line ${this.firstBad?.line}: "${this.firstBad?.text.slice(0, 60)}")`, { file: this.info.file, line: this.firstBad?.line });
      }
      this.firstBad ??= { line: l.line, text: t };
      if (this.badLines <= MAX_LISTED_PROBLEMS) this.info.problems.push({ code: 'E_UNKNOWN_FORMAT', severity: 'warning', file: this.info.file, line: l.line, message: `${r.error}; line skipped` });
      return;
    }
    const e = r.entry as ConntrackEntry;
    e.file = this.info.file;
    e.line = l.line;
    const d = this.info.dumpTime ?? this.fallback;
    if (e.eventTime !== undefined) {
      e.observedAt = e.eventTime;
      e.observedFrom = 'event';
    } else if (d) {
      e.observedAt = d.ns;
      e.observedFrom = d.source;
    }
    if (this.info.entries === 0) {
      this.describe(e);
      // the format is known from this first entry: text lines of unwanted protocols need not be decoded from now on
      const wanted = this.protocols;
      if (wanted && !this.xml) this.splitter.byteFilter = (buf, s, end) => {
        const n = protoNumberAt(buf, s, end);
        return n < 0 || wanted(n);
      };
    }
    this.info.entries++;
    this.onEntry(e);
  }

  /** Entries the byte filter passed over are entries all the same (counted), and their lines are lines. */
  private countSieved(): void {
    this.info.entries += this.splitter.skipped - this.sieved;
    this.sieved = this.splitter.skipped;
    this.info.lines = Math.max(this.info.lines, this.splitter.lines);
  }

  private sieved = 0;

  private describe(e: ConntrackEntry): void {
    const opts = new Set<string>();
    if (this.xml) this.info.format = 'conntrack -o xml';
    else if (e.event) this.info.format = 'conntrack -E';
    else if (e.family) this.info.format = / zone=\d/.test(e.text) || /[0-9a-f]{4}:[0-9a-f]{4}:[0-9a-f]{4}:/.test(e.text) ? '/proc/net/nf_conntrack' : 'conntrack -L -o extended';
    else this.info.format = / secmark=/.test(e.text) ? '/proc/net/ip_conntrack' : 'conntrack -L';
    if (e.eventTime !== undefined) opts.add('timestamp');
    if (e.startText !== undefined || e.startNs !== undefined) opts.add('ktimestamp');
    if (e.ctId !== undefined) opts.add('id');
    if (e.labels) opts.add('labels');
    if (e.family && this.info.format === 'conntrack -E') opts.add('extended');
    this.info.options = [...opts];
  }
}

export interface ReadConntrackOptions {
  chunkSize?: number;
  prefilter?: (l: LightEntry) => boolean;
  /** text lines whose protocol number fails this are counted as entries, never decoded or parsed */
  protocols?: (protoNum: number) => boolean;
  opened?: OpenedInput;
  /** `--at`: the dump time when the file does not state one */
  at?: bigint;
}

/** The VRRP/AH answer's filters (analyze and batch's scan): a read with exactly these may be replayed. */
export const VRRP_OR_AH = (n: number): boolean => n === PROTO.VRRP || n === PROTO.AH;
export const VRRP_OR_AH_LINE = (l: LightEntry): boolean => VRRP_OR_AH(l.protoNum);

/** A dump read by batch's scan with the VRRP/AH filters and no --at, for its analysis (lent.ts). */
export interface ConntrackReplay extends Recorded<ConntrackEntry, ConntrackInfo> {
  source: 'conntrack';
}

/**
 * Reads one conntrack dump/event log (plain or gzip, or `-`) as batches of entries. The dump time comes, best first,
 * from the file's own content (a leading date line), an epoch or ISO time in its name, `--at`, and last its mtime
 * (marked weak).
 */
export async function* readConntrack(path: string, opts: ReadConntrackOptions = {}): AsyncGenerator<ConntrackEntry[], ConntrackInfo> {
  // read already by batch's scan, with the same filters: its entries, as they came
  const replay = opts.protocols === VRRP_OR_AH && opts.prefilter === VRRP_OR_AH_LINE && opts.at === undefined && !opts.opened ? lentFor<ConntrackReplay>(path, 'conntrack') : undefined;
  if (replay) return yield* replayRecorded(replay);
  const fallback = await fallbackDumpTime(path, opts.at);
  const info = yield* drive<ConntrackEntry, ConntrackInfo>(path, (emit) => new ConntrackParser(path, emit, fallback, opts.prefilter, opts.protocols), opts);
  info.dumpTime ??= fallback;
  return info;
}

/** The dump time when the file has no date line: sosreport's manifest, its name, --at, then (weak) its mtime. */
async function fallbackDumpTime(path: string, at: bigint | undefined): Promise<DumpTime | null> {
  // a snapshot inside a support bundle (sos report) was taken when the bundle was collected
  const bundle = path === '-' ? null : await memberStat(path);
  if (bundle?.collected) return { ns: BigInt(bundle.mtimeMs) * 1_000_000n, source: 'sos-manifest', weak: false, via: { kind: 'sos-collected' } };
  const sos = path === '-' ? null : await sosCommandTime(path);
  if (sos) return { ns: sos.ns, source: 'sos-manifest', weak: false, via: sos.via };
  const fromName = path === '-' ? null : timeFromName(path);
  if (fromName !== null) return { ns: fromName, source: 'file-name', weak: false, via: { kind: 'file-name' } };
  if (at !== undefined) return { ns: at, source: 'flag', weak: false, via: { kind: 'flag' } };
  if (path === '-') return null;
  const st = await fsp.stat(path).catch(() => null);
  return st ? { ns: BigInt(Math.floor(st.mtimeMs)) * 1_000_000n, source: 'mtime', weak: true, via: { kind: 'mtime' } } : null;
}
