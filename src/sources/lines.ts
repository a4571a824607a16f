import type { Problem } from '../errors.js';

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
 * Stream-free like the capture parsers: push chunks of any size, get lines through a callback.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private cut = false;
  private lineNo = 0;
  /** absolute offset of the first byte of the next chunk */
  private base = 0;
  /** absolute offset where the current (unfinished) line starts */
  private lineStart = 0;

  constructor(
    private readonly file: string,
    private readonly onLine: (l: Line) => void,
    private readonly onProblem: (p: Problem) => void,
  ) {}

  write(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (this.carryLen || this.cut) {
        this.keep(chunk.subarray(start, nl));
        this.emit(Buffer.concat(this.carry));
      } else this.emit(chunk.subarray(start, nl));
      start = nl + 1;
      this.lineStart = this.base + start;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    this.base += chunk.length;
  }

  end(): void {
    if (this.carryLen || this.cut) this.emit(Buffer.concat(this.carry));
  }

  private keep(part: Uint8Array): void {
    const room = MAX_LINE - this.carryLen;
    if (part.length > room) this.cut = true;
    if (room <= 0) return;
    const kept = part.subarray(0, room);
    this.carry.push(Buffer.from(kept)); // copy: chunk buffers are reused by the reader
    this.carryLen += kept.length;
  }

  private emit(bytes: Uint8Array): void {
    this.lineNo++;
    let end = bytes.length;
    if (end && bytes[end - 1] === 13) end--;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
    if (this.cut) {
      this.onProblem({ code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, line: this.lineNo, offset: this.lineStart, message: `line longer than ${MAX_LINE} bytes; only its first ${MAX_LINE} bytes were read` });
    }
    this.onLine({ text, line: this.lineNo, offset: this.lineStart });
    this.carry = [];
    this.carryLen = 0;
    this.cut = false;
  }
}
