import { ForensicError, type ErrorCode } from '../errors.js';

/**
 * A file already read once — by batch's span scan — kept as what reading it gave: the batches as they came and the
 * summary, for the analysis of its incident to take instead of reading the file again. Plain data, so it crosses
 * worker threads (structured clone): the error travels as its fields.
 */
export interface Recorded<R, I> {
  batches: R[][];
  info: Omit<I, 'error'>;
  error?: { code: ErrorCode; message: string; file?: string; offset?: number; line?: number; frame?: number };
}

/** Keeps a reader's batches while they come, up to `maxRecords` records in all (more: nothing kept, read again). */
export class BatchRecorder<R> {
  private batches: R[][] | null = [];
  private records = 0;

  constructor(private readonly maxRecords: number) {}

  add(batch: R[]): void {
    if (!this.batches) return;
    this.records += batch.length;
    if (this.records > this.maxRecords) this.batches = null;
    else this.batches.push(batch);
  }

  /** What was read, or null when it was too big to hold. */
  finish<I extends { error?: ForensicError }>(info: I): Recorded<R, I> | null {
    if (!this.batches) return null;
    const { error, ...rest } = info;
    const r: Recorded<R, I> = { batches: this.batches, info: rest };
    if (error) r.error = { code: error.code, message: error.message, file: error.file, offset: error.offset, line: error.line, frame: error.frame };
    return r;
  }
}

/** Gives a record's batches, then its summary (a fresh copy: the caller may add to its problems), as reading did. */
export async function* replayRecorded<R, I extends { problems: unknown[]; error?: ForensicError }>(r: Recorded<R, I>): AsyncGenerator<R[], I> {
  for (const b of r.batches) yield b;
  const info = { ...r.info, problems: [...r.info.problems] } as I;
  if (r.error) {
    const { code, message, ...ctx } = r.error;
    info.error = new ForensicError(code, message, ctx);
  }
  return info;
}

/** What one analysis may take instead of reading, by path and by the reader it stands for. */
export type Lendable = { source: 'capture' | 'syslog' | 'conntrack' };

const lent = new Map<string, Lendable>();

/** Lends replays for the files of one analysis (a batch worker, one analysis at a time); `returnReplays` ends it. */
export function lendReplays<T extends Lendable>(replays: Record<string, T>): void {
  for (const [path, r] of Object.entries(replays)) lent.set(path, r);
}

export function returnReplays(): void {
  lent.clear();
}

/** The replay lent for a path, when it stands for this reader's read. */
export function lentFor<T extends Lendable>(path: string, source: T['source']): T | undefined {
  const r = lent.get(path);
  return r?.source === source ? (r as T) : undefined;
}
