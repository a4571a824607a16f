import { ForensicError, type Problem } from '../errors.js';

/** Longest line kept whole, in bytes; a longer one is cut (with a warning) so one hostile line cannot exhaust memory. */
export const MAX_LINE = 1 << 20;

/** Blank lines in a row after which a reader stops (no real log or dump has a million; a gzip bomb of them does). */
export const MAX_BLANK_RUN = 1_000_000;

export interface Line {
  text: string;
  /** 1-based */
  line: number;
  /** byte offset of the line's first byte */
  offset: number;
}

/**
 * Which lines are worth decoding. A line that contains none of `contains` and does not start with one of `startsWith`
 * is only counted: nearly every line of a gateway's syslog belongs to other programs, and decoding them all was most
 * of the `logs` command's time (measured: string decoding and splitting 135 of 830 ms on 1,000,000 lines).
 */
export interface LineSieve {
  contains: Buffer;
  startsWith: number[];
  /** rarer needles that also let a line through (each searched once per chunk while it is not met) */
  also?: Buffer[];
}

export interface LineSplitterOptions {
  /** what the text should be ("a syslog"): binary content (NUL bytes up front) is refused as not that */
  kind?: string;
  /** decode at most this many bytes of each line (a reader that only needs a line's start) */
  textBytes?: number;
  /**
   * A last line without its newline: 'flag' (the default) reports it as cut short (E_TRUNCATED, with its line) and
   * does not hand it on — the end of a truncated file can read as a whole record with a made-up value (an address cut
   * from 198.51.100.176 to 198.51.100.17); 'keep' hands it on as any other line.
   */
  unterminated?: 'flag' | 'keep';
  /**
   * 'skip': empty lines (and a lone CR) are counted, never decoded or handed on, and MAX_BLANK_RUN of them in a row
   * stop reading (E_BAD_LENGTH with the line): a 9 MB gzip of blank lines is 9 GB of them
   */
  blankLines?: 'skip' | 'keep';
}

/**
 * Splits a byte stream into lines (LF, a CR before it dropped), keeping line numbers and byte offsets for citations.
 * Stream-free like the capture parsers: push chunks of any size, get lines through a callback. Lines are found in the
 * bytes (Buffer#indexOf, memchr-fast) and each kept line is decoded from UTF-8 once; only a line that straddles two
 * chunks is copied, up to MAX_LINE bytes — the rest of an over-long line is counted, not kept.
 */
/** Whether one of the needles lies in buf[pos, nl); `hits` caches each needle's next match in this chunk. */
function alsoIn(needles: Buffer[], hits: number[], buf: Buffer, pos: number, nl: number): boolean {
  for (let i = 0; i < needles.length; i++) {
    if (hits[i] !== -1 && hits[i] < pos) hits[i] = buf.indexOf(needles[i], pos);
    if (hits[i] !== -1 && hits[i] + needles[i].length <= nl) return true;
  }
  return false;
}

export class LineSplitter {
  /** When set, lines that cannot pass it are counted in `skipped` and never decoded. */
  sieve: LineSieve | null = null;
  /**
   * When set, a line (its bytes, without the newline) it returns false for is counted in `skipped` and never decoded:
   * a reader's own byte-level look (a conntrack line's protocol number).
   */
  byteFilter: ((buf: Buffer, start: number, end: number) => boolean) | null = null;
  /**
   * When set, each kept line's bytes (without the newline and a CR before it, cut as the text would be) go to it
   * first; a line it takes (true) is not decoded: a reader that frames its common lines over the bytes.
   */
  byteLine: ((buf: Buffer, start: number, end: number, line: number) => boolean) | null = null;
  /** non-empty lines passed over by the sieve or the byte filter */
  skipped = 0;
  /** the unfinished line's bytes so far (at most MAX_LINE), copied out of their chunks into one growing buffer */
  private carry: Buffer | null = null;
  private partLen = 0;
  /** bytes of the unfinished line beyond MAX_LINE, dropped (counted, so the next line's offset stays exact) */
  private dropped = 0;
  private lineNo = 0;
  /** byte offset where the current (unfinished) line starts */
  private lineStart = 0;
  private headSeen = 0;
  private readonly kind?: string;
  private readonly textBytes: number;
  private readonly keepUnterminated: boolean;
  private readonly skipBlank: boolean;
  /** consecutive empty lines just seen (a reader bounds how many it will walk through) */
  blankRun = 0;

  constructor(
    private readonly file: string,
    private readonly onLine: (l: Line) => void,
    private readonly onProblem: (p: Problem) => void,
    opts: LineSplitterOptions | string = {},
  ) {
    const o = typeof opts === 'string' ? { kind: opts } : opts;
    this.kind = o.kind;
    this.textBytes = Math.min(o.textBytes ?? MAX_LINE, MAX_LINE);
    this.keepUnterminated = o.unterminated === 'keep';
    this.skipBlank = o.blankLines === 'skip';
  }

  /** lines seen so far, counting skipped ones */
  get lines(): number {
    return this.lineNo;
  }

  write(chunk: Uint8Array): void {
    // the first 64 bytes decide "binary", however they are chunked (found by fuzzing: a 7-byte first chunk hid a NUL)
    if (this.headSeen < 64 && chunk.length) {
      const look = chunk.subarray(0, 64 - this.headSeen);
      this.headSeen += look.length;
      if (this.kind && look.includes(0)) {
        throw new ForensicError('E_UNKNOWN_FORMAT', `not ${this.kind} (binary content)`, { file: this.file, offset: 0 });
      }
    }
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = buf.length;
    let pos = 0;
    if (this.partLen || this.dropped) {
      const nl = buf.indexOf(10);
      if (nl < 0) return this.keep(buf, 0, end);
      this.keep(buf, 0, nl);
      this.emitCarried(true);
      pos = nl + 1;
    }
    // next sieve match at or after pos: -1 none left in this chunk, -2 not searched yet (the same for each `also`)
    let hit = -2;
    let alsoHits: number[] | undefined;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      if (nl === pos || (nl - pos === 1 && buf[pos] === 13)) {
        if (this.skipBlank) {
          this.lineNo++;
          this.lineStart += nl - pos + 1;
          if (++this.blankRun >= MAX_BLANK_RUN) {
            throw new ForensicError('E_BAD_LENGTH', `stopped reading after ${this.blankRun} blank lines in a row (a bound against endless or bomb-like input); the rest of the file was not read`, { file: this.file, line: this.lineNo });
          }
          pos = nl + 1;
          continue;
        }
      } else this.blankRun = 0;
      const bf = this.byteFilter;
      if (bf && nl - pos <= MAX_LINE && !bf(buf, pos, nl)) {
        this.lineNo++;
        this.lineStart += nl - pos + 1;
        this.skipped++;
        pos = nl + 1;
        continue;
      }
      const sv = this.sieve;
      if (sv && nl - pos <= MAX_LINE) {
        if (hit !== -1 && hit < pos) hit = buf.indexOf(sv.contains, pos);
        if ((hit === -1 || hit + sv.contains.length > nl) && !sv.startsWith.includes(buf[pos]) && !(sv.also && alsoIn(sv.also, (alsoHits ??= sv.also.map(() => -2)), buf, pos, nl))) {
          this.lineNo++;
          this.lineStart += nl - pos + 1;
          if (nl > pos && !(nl - pos === 1 && buf[pos] === 13)) this.skipped++;
          pos = nl + 1;
          continue;
        }
      }
      this.emit(buf, pos, nl, nl - pos, true);
      pos = nl + 1;
    }
    if (pos < end) this.keep(buf, pos, end);
  }

  end(): void {
    if (!this.partLen && !this.dropped) return;
    if (this.keepUnterminated) return this.emitCarried(false);
    this.lineNo++;
    const bytes = this.partLen + this.dropped;
    this.onProblem({ code: 'E_TRUNCATED', severity: 'warning', file: this.file, line: this.lineNo, offset: this.lineStart, message: `the last line (${bytes} bytes) has no newline: the file was cut short, so the line is not used` });
    this.lineStart += bytes;
    this.partLen = 0;
    this.dropped = 0;
  }

  /** Adds bytes to the unfinished line: copied up to MAX_LINE in all, the rest only counted. */
  private keep(buf: Buffer, s: number, e: number): void {
    const take = Math.min(MAX_LINE - this.partLen, e - s);
    if (take > 0) {
      const need = this.partLen + take;
      if (!this.carry || this.carry.length < need) {
        // doubling: a 1 MB line fed 7 bytes at a time is copied O(n) times, not O(n²), and is one object, not 150,000
        const grown = Buffer.allocUnsafe(Math.min(MAX_LINE, Math.max(need, 256, (this.carry?.length ?? 0) * 2)));
        this.carry?.copy(grown, 0, 0, this.partLen);
        this.carry = grown;
      }
      buf.copy(this.carry, this.partLen, s, s + take);
      this.partLen = need;
    }
    this.dropped += e - s - take;
  }

  private emitCarried(terminated: boolean): void {
    const raw = this.carry!;
    const total = this.partLen + this.dropped;
    const len = this.partLen;
    this.blankRun = 0;
    this.partLen = 0;
    this.dropped = 0;
    this.emit(raw, 0, len, total, terminated); // decoded (copied) at once, so the buffer can be reused below
    if (raw.length > 1 << 16) this.carry = null; // keep a small one for the next chunk boundary, not a 1 MB one
  }

  /** Emits the line whose first bytes are buf[s, e) and whose full length is `total` bytes (more when it was cut). */
  private emit(buf: Buffer, s: number, e: number, total: number, terminated: boolean): void {
    this.lineNo++;
    const cut = total > MAX_LINE;
    let stop = Math.min(e, s + MAX_LINE);
    if (stop > s && buf[stop - 1] === 13) stop--;
    if (cut) {
      this.onProblem({ code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, line: this.lineNo, offset: this.lineStart, message: `line longer than ${MAX_LINE} bytes; only its first ${MAX_LINE} were read` });
    }
    const textEnd = Math.min(stop, s + this.textBytes);
    if (!this.byteLine?.(buf, s, textEnd, this.lineNo)) this.onLine({ text: buf.toString('utf8', s, textEnd), line: this.lineNo, offset: this.lineStart });
    this.lineStart += total + (terminated ? 1 : 0);
  }
}
