import { ForensicError, type ErrorCode } from '../../errors.js';
import type { CaptureRecord } from '../../model/records.js';
import { timeOf, type PacketView } from './packet.js';
import type { CaptureInfo } from './parser.js';

/**
 * A capture already read once — by batch's span scan — kept as what reading it gave: the record batches as they came
 * (one per chunk that held records), the summary, and what the planner's peek would find. The analysis of its incident
 * takes it instead of reading the file again. Plain data, so it crosses worker threads (structured clone).
 */
export interface CaptureReplay {
  batches: CaptureRecord[][];
  info: Omit<CaptureInfo, 'error'>;
  error?: { code: ErrorCode; message: string; file?: string; offset?: number; line?: number; frame?: number };
  peek: CapturePeek;
}

/** A capture's first timed packet and the advert sources it marks as sent by the capturing host (planner's peek). */
export interface CapturePeek {
  first: bigint | null;
  sent: string[];
}

/** How many records the planner's peek looks at (whole chunks' records, until it has seen this many). */
export const PEEK_RECORDS = 2000;

/** An advert the capture marks as sent by the capturing host (tcpdump -i any, pcapng direction flags). */
export function sentByCapturer(r: CaptureRecord): r is CaptureRecord & { kind: 'vrrp'; src: string } {
  return r.kind === 'vrrp' && (r.direction === 'sent-by-us' || r.direction === 'outbound');
}

/**
 * Builds a replay while a capture is read: `onPacket` sees each packet (for the first timed one that is no outlier, as
 * the peek takes it), `add` each batch as it comes; past `maxRecords` records it keeps only the peek (a storm's adverts
 * are read again, not held).
 */
export class ReplayRecorder {
  private batches: CaptureRecord[][] | null = [];
  private records = 0;
  private first: bigint | null = null;
  private seen = 0;
  private readonly sent = new Set<string>();

  constructor(private readonly maxRecords: number) {}

  readonly onPacket = (v: PacketView): void => {
    if (this.first !== null || v.timeOutlier) return;
    this.first = timeOf(v).ns;
  };

  add(batch: CaptureRecord[]): void {
    // the peek takes whole chunks' records until it has seen PEEK_RECORDS
    if (this.seen < PEEK_RECORDS) {
      this.seen += batch.length;
      for (const r of batch) if (sentByCapturer(r)) this.sent.add(r.src);
    }
    if (!this.batches) return;
    this.records += batch.length;
    if (this.records > this.maxRecords) this.batches = null;
    else this.batches.push(batch);
  }

  /** The replay, or null when the capture was too big to hold (or damaged in a way the peek would not have read). */
  finish(info: CaptureInfo): CaptureReplay | null {
    if (!this.batches) return null;
    const { error, ...rest } = info;
    const r: CaptureReplay = { batches: this.batches, info: rest, peek: { first: this.first, sent: [...this.sent] } };
    if (error) r.error = { code: error.code, message: error.message, file: error.file, offset: error.offset, line: error.line, frame: error.frame };
    return r;
  }
}

const lent = new Map<string, CaptureReplay>();

/** Lends replays for the files of one analysis (a batch worker, one analysis at a time); `returnReplays` ends it. */
export function lendReplays(replays: Record<string, CaptureReplay>): void {
  for (const [path, r] of Object.entries(replays)) lent.set(path, r);
}

export function returnReplays(): void {
  lent.clear();
}

export function lentReplay(path: string): CaptureReplay | undefined {
  return lent.get(path);
}

/** Gives a replay's batches, then its summary, as reading the file did. */
export async function* replayCapture(r: CaptureReplay): AsyncGenerator<CaptureRecord[], CaptureInfo> {
  for (const b of r.batches) yield b;
  const info: CaptureInfo = { ...r.info, problems: [...r.info.problems] };
  if (r.error) {
    const { code, message, ...ctx } = r.error;
    info.error = new ForensicError(code, message, ctx);
  }
  return info;
}
