/**
 * One error type for everything a reader or command can refuse. The code is stable (users grep for it, tests assert
 * it); the context says where: file plus byte offset, line or frame.
 */
export type ErrorCode =
  | 'E_IO' // the file could not be opened or read
  | 'E_NOT_CAPTURE' // content is not pcap/pcapng
  | 'E_UNKNOWN_FORMAT' // content matches no format this command reads
  | 'E_BAD_LENGTH' // a length field that cannot be honoured (exceeds block, snaplen or hard limit)
  | 'E_BAD_BLOCK' // structurally invalid block (bad trailer, bad byte-order magic)
  | 'E_TRUNCATED' // the input ends inside a record
  | 'E_GZIP' // the gzip stream is damaged or cut short
  | 'E_BAD_TIME' // an invalid timestamp (flagged, never fatal)
  | 'E_USAGE'; // bad flag value

export interface ErrorContext {
  file?: string;
  offset?: number;
  line?: number;
  frame?: number;
}

export class ForensicError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly offset?: number;
  readonly line?: number;
  readonly frame?: number;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    this.name = 'ForensicError';
    this.code = code;
    this.file = context.file;
    this.offset = context.offset;
    this.line = context.line;
    this.frame = context.frame;
  }

  /** `file: byte 4096: message [E_CODE]` — the one line a user sees. */
  toLine(): string {
    return formatProblemLine(this.code, this.message, this);
  }
}

/** A non-fatal finding about the input (a warning), with the same shape of context as an error. */
export interface Problem extends ErrorContext {
  code: ErrorCode;
  severity: 'warning' | 'error';
  message: string;
}

export function locatorOf(ctx: ErrorContext): string | undefined {
  if (ctx.line !== undefined) return `line ${ctx.line}`;
  if (ctx.frame !== undefined && ctx.offset !== undefined) return `frame ${ctx.frame} (byte ${ctx.offset})`;
  if (ctx.frame !== undefined) return `frame ${ctx.frame}`;
  if (ctx.offset !== undefined) return `byte ${ctx.offset}`;
  return undefined;
}

export function formatProblemLine(code: ErrorCode, message: string, ctx: ErrorContext): string {
  const where = [ctx.file, locatorOf(ctx)].filter((x) => x !== undefined).join(': ');
  return `${where ? where + ': ' : ''}${message} [${code}]`;
}

export function problemOf(err: ForensicError, severity: Problem['severity'] = 'error'): Problem {
  return { code: err.code, severity, message: err.message, file: err.file, offset: err.offset, line: err.line, frame: err.frame };
}

/** Turn anything thrown into a ForensicError without leaking a stack trace to the user. */
export function asForensicError(err: unknown, file?: string): ForensicError {
  if (err instanceof ForensicError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && e.code.startsWith('E') && e.syscall) {
    return new ForensicError('E_IO', `${e.code}: cannot ${e.syscall}`, { file });
  }
  if (e && typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new ForensicError('E_GZIP', `gzip stream damaged (${e.message})`, { file });
  }
  return new ForensicError('E_IO', e instanceof Error ? e.message : String(err), { file });
}
