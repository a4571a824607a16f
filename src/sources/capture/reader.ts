import { isMainThread } from 'node:worker_threads';
import { drive } from '../drive.js';
import { notA, type OpenedInput } from '../input.js';
import type { CaptureRecord } from '../../model/records.js';
import type { PacketView } from './packet.js';
import { parallelPlan, readCaptureParallel, type ParallelOptions } from './parallel.js';
import { CaptureParser, sniffCapture, type CaptureInfo } from './parser.js';
import { lentReplay, replayCapture } from './replay.js';

export { CaptureParser, sniffCapture, type CaptureFormat, type CaptureInfo } from './parser.js';

export interface ReadCaptureOptions {
  chunkSize?: number;
  /** Already opened (the caller sniffed it); otherwise `path` is opened here. */
  opened?: OpenedInput;
  onPacket?: (v: PacketView) => void;
  /**
   * A big plain pcap file is read in slices by worker threads (parallel.ts) — same records, frames and problems;
   * false reads it as one. Not by default from a worker thread (batch's workers already fill the cores).
   */
  parallel?: ParallelOptions | false;
}

/**
 * Reads one capture (path, `-`, gzip or not) as an async stream of record batches. Never throws for bad content: a
 * damaged file ends with `info.error` set and every record before the damage delivered. A capture batch's scan read
 * and lent (replay.ts) is given from what that read gave.
 */
export async function* readCapture(path: string, opts: ReadCaptureOptions = {}): AsyncGenerator<CaptureRecord[], CaptureInfo> {
  // read already by batch's scan: its records, as they came
  const replay = !opts.onPacket && !opts.opened ? lentReplay(path) : undefined;
  if (replay) return yield* replayCapture(replay);
  const par = opts.parallel ?? (isMainThread ? {} : false);
  const plan = par && !opts.onPacket && !opts.opened ? parallelPlan(path, par) : null;
  if (par && plan) return yield* readCaptureParallel(path, plan, { chunkSize: opts.chunkSize, ...par });
  return yield* drive<CaptureRecord, CaptureInfo>(path, (emit) => new CaptureParser(path, emit, opts.onPacket), {
    ...opts,
    check: (input) => {
      if (!sniffCapture(input.head)) throw notA('capture file (pcap or pcapng)', input);
    },
  });
}
