import type { CaptureRecord } from '../../model/records.js';
import { BatchRecorder, lentFor, replayRecorded, type Recorded } from '../lent.js';
import { timeOf, type PacketView } from './packet.js';
import type { CaptureInfo } from './parser.js';

/**
 * A capture already read once — by batch's span scan — kept as what reading it gave: the record batches as they came
 * (one per chunk that held records), the summary, and what the planner's peek would find. The analysis of its incident
 * takes it instead of reading the file again. Plain data, so it crosses worker threads (structured clone).
 */
export interface CaptureReplay extends Recorded<CaptureRecord, CaptureInfo> {
  source: 'capture';
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
  private readonly kept: BatchRecorder<CaptureRecord>;
  private first: bigint | null = null;
  private seen = 0;
  private readonly sent = new Set<string>();

  constructor(maxRecords: number) {
    this.kept = new BatchRecorder(maxRecords);
  }

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
    this.kept.add(batch);
  }

  /** The replay, or null when the capture was too big to hold (or damaged in a way the peek would not have read). */
  finish(info: CaptureInfo): CaptureReplay | null {
    const r = this.kept.finish(info);
    return r && { ...r, source: 'capture', peek: { first: this.first, sent: [...this.sent] } };
  }
}

export function lentReplay(path: string): CaptureReplay | undefined {
  return lentFor<CaptureReplay>(path, 'capture');
}

/** Gives a replay's batches, then its summary, as reading the file did. */
export function replayCapture(r: CaptureReplay): AsyncGenerator<CaptureRecord[], CaptureInfo> {
  return replayRecorded(r);
}
