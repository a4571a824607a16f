import { StringDecoder } from 'node:string_decoder';
import { ForensicError, type Problem } from '../errors.js';

/** Longest line kept whole; a longer one is cut (with a warning) so one hostile line cannot exhaust memory. */
export const MAX_LINE = 1 << 20;

export interface Line {
  text: string;
  /** 1-based */
  line: number;
  /** byte offset of the line's first byte */
  offset: number;
}

/**
 * Splits a byte stream into lines (LF, a CR before it dropped), keeping line numbers and byte offsets for citations.
 * Stream-free like the capture parsers: push chunks of any size, get lines through a callback. Each chunk is decoded
 * once (a UTF-8 sequence cut by a chunk boundary is completed by the next chunk) and split as a string.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** the current line so far, at most MAX_LINE characters */
  private carry = '';
  /** bytes of the current line beyond MAX_LINE, dropped (counted, so the next line's offset stays exact) */
  private dropped = 0;
  private cut = false;
  private lineNo = 0;
  /** byte offset where the current (unfinished) line starts */
  private lineStart = 0;

  private headSeen = 0;

  constructor(
    private readonly file: string,
    private readonly onLine: (l: Line) => void,
    private readonly onProblem: (p: Problem) => void,
    /** what the text should be ("a syslog"): binary content (NUL bytes up front) is refused as not that */
    private readonly kind?: string,
  ) {}

  write(chunk: Uint8Array): void {
    // the first 64 bytes decide "binary", however they are chunked (found by fuzzing: a 7-byte first chunk hid a NUL)
    if (this.headSeen < 64 && chunk.length) {
      const look = chunk.subarray(0, 64 - this.headSeen);
      this.headSeen += look.length;
      if (this.kind && look.includes(0)) {
        throw new ForensicError('E_UNKNOWN_FORMAT', `not ${this.kind} (binary content)`, { file: this.file, offset: 0 });
      }
    }
    this.split(this.decoder.write(chunk as Buffer));
  }

  end(): void {
    this.split(this.decoder.end());
    if (this.carry || this.cut) this.emit(false);
  }

  private split(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.add(text.slice(start, nl));
      this.emit(true);
      start = nl + 1;
    }
    if (start < text.length) this.add(start === 0 ? text : text.slice(start));
  }

  /**
   * The same cut whatever the chunking: a line is kept up to MAX_LINE characters and the rest only counted, so a
   * 100 MB line fed 7 bytes at a time costs no more than fed at once (no re-slicing of what is kept).
   */
  private add(part: string): void {
    if (this.cut) {
      this.dropped += Buffer.byteLength(part);
      return;
    }
    const room = MAX_LINE - this.carry.length;
    if (part.length <= room) {
      this.carry += part;
      return;
    }
    this.carry += part.slice(0, room);
    this.dropped += Buffer.byteLength(part.slice(room));
    this.cut = true;
  }

  private emit(terminated: boolean): void {
    const raw = this.carry;
    this.carry = '';
    this.lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.cut) {
      this.onProblem({ code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, line: this.lineNo, offset: this.lineStart, message: `line longer than ${MAX_LINE} characters; only its first ${MAX_LINE} were read` });
    }
    this.onLine({ text, line: this.lineNo, offset: this.lineStart });
    this.lineStart += Buffer.byteLength(raw) + this.dropped + (terminated ? 1 : 0);
    this.dropped = 0;
    this.cut = false;
  }
}
