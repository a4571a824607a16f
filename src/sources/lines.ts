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
  private carry = '';
  private cut = false;
  private lineNo = 0;
  /** byte offset where the current (unfinished) line starts */
  private lineStart = 0;

  private started = false;

  constructor(
    private readonly file: string,
    private readonly onLine: (l: Line) => void,
    private readonly onProblem: (p: Problem) => void,
    /** what the text should be ("a syslog"): binary content (NUL bytes up front) is refused as not that */
    private readonly kind?: string,
  ) {}

  write(chunk: Uint8Array): void {
    if (!this.started && chunk.length) {
      this.started = true;
      if (this.kind && chunk.subarray(0, 64).includes(0)) {
        throw new ForensicError('E_UNKNOWN_FORMAT', `not ${this.kind} (binary content)`, { file: this.file, offset: 0 });
      }
    }
    this.split(this.decoder.write(chunk as Buffer));
  }

  end(): void {
    this.split(this.decoder.end());
    if (this.carry || this.cut) this.emit(this.carry);
    this.carry = '';
  }

  private split(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const part = text.slice(start, nl);
      this.emit(this.carry ? this.append(part) : this.cut ? '' : part, true);
      start = nl + 1;
    }
    if (start < text.length) this.carry = this.append(text.slice(start));
  }

  private append(part: string): string {
    const joined = this.carry + part;
    if (joined.length <= MAX_LINE) {
      this.carry = '';
      return joined;
    }
    this.cut = true;
    this.carry = '';
    return joined.slice(0, MAX_LINE);
  }

  private emit(raw: string, terminated = false): void {
    this.lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.cut) {
      this.onProblem({ code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, line: this.lineNo, offset: this.lineStart, message: `line longer than ${MAX_LINE} characters; only its first ${MAX_LINE} were read` });
    }
    this.onLine({ text, line: this.lineNo, offset: this.lineStart });
    this.lineStart += Buffer.byteLength(raw) + (terminated ? 1 : 0);
    this.cut = false;
  }
}
