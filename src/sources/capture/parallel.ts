import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ForensicError, type Problem } from '../../errors.js';
import { OutlierGate } from '../../model/outliers.js';
import type { CaptureRecord } from '../../model/records.js';
import { drive } from '../drive.js';
import { READ_CHUNK, type OpenedInput } from '../input.js';
import { skippedFrames } from './decode.js';
import { CaptureParser, type CaptureInfo, type ResumePoint } from './parser.js';
import { pcapLayout, type SliceEnd, type SliceMessage, type SliceTask } from './slice.js';

/**
 * Below this size a capture is read by one thread: a worker's start-up (≈ 40 ms of CPU to load the reader) must be
 * paid back by the half of the file it reads. Measured on 2 cores (README, "Speed and memory").
 */
export const PARALLEL_MIN_BYTES = 512 << 20;
/** Records a worker may have posted beyond what the reader took: the memory bound of a dense slice. */
const WINDOW = 4096;

export interface ParallelOptions {
  /** slices: one read on this thread, the others each in a worker thread (default: the cores, when they are idle) */
  slices?: number;
  /** read in slices only from this size on (tests make it tiny) */
  minBytes?: number;
  /** records a worker may post ahead of the reader */
  window?: number;
  chunkSize?: number;
  /** the worker's script (tests running the TypeScript sources point at the built one) */
  workerUrl?: URL;
  /** told how many records a worker has posted and the reader not yet taken, whenever it grows */
  onHeld?: (n: number) => void;
  /** told each slice whose worker's reading is believed (the others are read again here) */
  onTaken?: (slice: number) => void;
}

export interface ParallelPlan {
  size: number;
  header: Uint8Array;
  /** the first record's header: its time tells a slice's records from look-alike bytes */
  firstRecord: Uint8Array;
  /** slice k is [bounds[k], bounds[k + 1]) in record starts; the last bound is the file's size */
  bounds: number[];
}

/**
 * Whether a capture is read in slices, and where they lie: a regular, uncompressed classic pcap file of at least
 * `minBytes`, with 16-byte record headers (see pcapLayout), when more than one slice is asked for. Null otherwise
 * (gzip, pcapng, standard input, an archive member, a small file: read as one).
 */
export function parallelPlan(path: string, opts: ParallelOptions = {}): ParallelPlan | null {
  const n = opts.slices ?? spareCores();
  if (n < 2 || path === '-') return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null; // an archive member, or not there: the ordinary reader says why
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < (opts.minBytes ?? PARALLEL_MIN_BYTES) || st.size < 24) return null;
    const head = Buffer.alloc(40);
    const got = readSync(fd, head, 0, 40, 0);
    const header = head.subarray(0, 24);
    if (got < 40 || !pcapLayout(header)) return null;
    const bounds = Array.from({ length: n + 1 }, (_, k) => 24 + Math.floor((k * (st.size - 24)) / n));
    return { size: st.size, header, firstRecord: head.subarray(24, 40), bounds };
  } finally {
    closeSync(fd);
  }
}

/**
 * The cores to read with: all of them when the others are idle (the last minute's load average below the cores less
 * one half), else one. On a busy machine a worker has no core of its own: it only adds its start-up and the two
 * threads' contention for memory bandwidth (measured: +15-20 % CPU, no shorter wait at a load of 4-20 on 2 cores).
 */
function spareCores(): number {
  const cores = availableParallelism();
  return loadavg()[0] < cores - 0.5 ? cores : 1;
}

/** A plain file's bytes from `from` on, in one reused buffer, until `enough()` says the parser has what it needs. */
function openRange(path: string, from: number, chunkSize: number, enough: () => boolean): OpenedInput {
  const fd = openSync(path, 'r');
  let closed = false;
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    const buf = Buffer.allocUnsafe(chunkSize);
    let pos = from;
    while (!closed && !enough()) {
      const n = readSync(fd, buf, 0, chunkSize, pos);
      if (n === 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  }
  return { name: path, gzip: false, head: Buffer.alloc(0), chunks: chunks(), close };
}

/** One worker's slice, its messages taken in order. */
class SliceChannel {
  private readonly queue: SliceMessage[] = [];
  private wake: (() => void) | null = null;
  private lost: string | null = null;
  private readonly taken = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private posted = 0;

  constructor(task: SliceTask, url: URL, window: number, private readonly onHeld?: (n: number) => void) {
    this.worker = new Worker(url, { workerData: { task, taken: this.taken.buffer, window } });
    this.worker.on('message', (m: SliceMessage) => {
      if (m.type === 'records') {
        this.posted += m.records.length;
        this.onHeld?.(this.posted - Atomics.load(this.taken, 0));
      }
      this.queue.push(m);
      this.wake?.();
    });
    this.worker.on('error', (e) => this.fail(e.message));
    this.worker.on('exit', (code) => this.fail(`exited with code ${code}`));
    // held only while waited for: a worker left waiting by a reader that gave up must not keep the process alive
    this.worker.unref();
  }

  private fail(why: string): void {
    this.lost ??= why;
    this.wake?.();
  }

  /** The next message, or null when the worker ended without sending it. */
  async next(): Promise<SliceMessage | null> {
    while (!this.queue.length) {
      if (this.lost !== null) return null;
      this.worker.ref();
      await new Promise<void>((r) => (this.wake = r));
      this.worker.unref();
      this.wake = null;
    }
    return this.queue.shift()!;
  }

  /** The reader has taken `n` more records: the worker may post as many again. */
  took(n: number): void {
    Atomics.add(this.taken, 0, n);
    Atomics.notify(this.taken, 0);
  }

  async close(): Promise<void> {
    this.lost ??= 'closed';
    await this.worker.terminate();
  }
}

/** What the slices read so far add up to, in file order. */
class Tally {
  readonly problems: Problem[] = [];
  undecodable = 0;
  readonly linkTypes = new Set<number>();
  readonly skipped = new Map<number, number>();
  records = 0;

  add(end: Pick<SliceEnd, 'problems' | 'undecodable' | 'linkTypes' | 'skipped'>, frameBase: number): void {
    for (const p of end.problems) this.problems.push(p.frame === undefined ? p : { ...p, frame: p.frame + frameBase });
    this.undecodable += end.undecodable;
    for (const t of end.linkTypes) this.linkTypes.add(t);
    for (const [k, n] of end.skipped) this.skipped.set(k, (this.skipped.get(k) ?? 0) + n);
  }

  addParser(p: CaptureParser): void {
    this.records += p.info.records;
    this.add({ problems: p.info.problems, undecodable: p.counters.undecodable, linkTypes: [...p.counters.linkTypes], skipped: [...p.counters.skipped] }, 0);
  }

  info(head: CaptureInfo, end: { bytes: number; frames: number; error?: ForensicError }): CaptureInfo {
    const counters = { undecodable: this.undecodable, linkTypes: this.linkTypes, skipped: this.skipped };
    const info: CaptureInfo = {
      ...head, bytes: end.bytes, frames: end.frames, records: this.records, undecodable: this.undecodable,
      linkTypes: [...this.linkTypes], skipped: skippedFrames(counters), problems: this.problems,
    };
    if (end.error) info.error = end.error;
    else delete info.error;
    return info;
  }
}

/**
 * Reads a pcap file in slices (see parallelPlan): the first here, each other in a worker thread started at once, which
 * finds its first record boundary (slice.ts) and reads on to the first record at or after its end. The slices are
 * taken in file order and each is believed only if it starts exactly where the one before it stopped, record by
 * record, and the outlier gate's verdicts carry over (a fresh gate decides its records alike); frame numbers are then
 * those before it plus its own. Anything else — a boundary found in the wrong place, a time jump at a slice's start,
 * damage, a worker lost — and the rest of the file is read here from where the last believed slice stopped. So the
 * records, their frames, the problems and the counters are those of reading the file as one.
 */
export async function* readCaptureParallel(path: string, plan: ParallelPlan, opts: ParallelOptions = {}): AsyncGenerator<CaptureRecord[], CaptureInfo> {
  const n = plan.bounds.length - 1;
  const chunkSize = opts.chunkSize ?? READ_CHUNK;
  const url = opts.workerUrl ?? new URL('./slice-worker.js', import.meta.url);
  const channels: SliceChannel[] = [];
  for (let k = 1; k < n; k++) {
    const task: SliceTask = { file: path, header: plan.header, firstRecord: plan.firstRecord, start: plan.bounds[k], end: k === n - 1 ? Infinity : plan.bounds[k + 1], size: plan.size, chunkSize };
    channels[k] = new SliceChannel(task, url, opts.window ?? WINDOW, opts.onHeld);
  }
  try {
    let first!: CaptureParser;
    const head = yield* drive<CaptureRecord, CaptureInfo>(path, (emit) => (first = new CaptureParser(path, emit, undefined, { stopAt: plan.bounds[1] })), {
      opened: openRange(path, 0, chunkSize, () => first.stopped),
    });
    const tally = new Tally();
    tally.addParser(first);
    if (head.error || !first.stopped) return tally.info(head, { bytes: first.position, frames: head.frames, error: head.error });
    let state: ResumePoint = { header: plan.header, offset: first.position, frames: head.frames, gate: first.gateState() };
    for (let k = 1; k < n; k++) {
      if (state.offset >= plan.bounds[k + 1] && k < n - 1) continue; // one record spans the whole slice
      const ch = channels[k];
      const sync = await ch.next();
      if (sync?.type !== 'sync' || sync.at !== state.offset) break;
      const firstTime = await ch.next();
      if (firstTime?.type !== 'first' || !OutlierGate.joins(state.gate!, firstTime.sec)) break;
      let end: SliceEnd | null = null;
      let yielded = false;
      while (!end) {
        const m = await ch.next();
        if (m?.type === 'records') {
          for (const r of m.records) r.frame += state.frames;
          tally.records += m.records.length;
          yielded = true;
          yield m.records;
          ch.took(m.records.length);
        } else if (m?.type === 'done') {
          end = m.end;
        } else if (!yielded) {
          break; // lost before it gave anything: read its slice here
        } else {
          const error = new ForensicError('E_IO', 'a reading thread was lost in the middle of this file; records before this offset were read', { file: path, offset: state.offset });
          return tally.info(head, { bytes: state.offset, frames: state.frames, error });
        }
      }
      if (!end) break;
      opts.onTaken?.(k);
      tally.add(end, state.frames);
      const suspect = end.gate.suspect;
      if (suspect) suspect.item.frame += state.frames;
      // a slice without a timed packet leaves the gate as it found it
      state = { header: plan.header, offset: end.at, frames: state.frames + end.frames, gate: end.gate.prev === null && !suspect ? state.gate : end.gate };
      if (end.how === 'eof') return tally.info(head, { bytes: state.offset, frames: state.frames });
      if (end.how === 'damage') break; // read again here, so the error counts the frames before it
    }
    for (const ch of channels.splice(0)) void ch?.close();
    // the rest of the file, here, from where the slices believed so far stopped
    let rest!: CaptureParser;
    const from = state;
    const tail = yield* drive<CaptureRecord, CaptureInfo>(path, (emit) => (rest = new CaptureParser(path, emit, undefined, { resume: from })), {
      opened: openRange(path, from.offset, chunkSize, () => false),
    });
    tally.addParser(rest);
    return tally.info(head, { bytes: rest.position, frames: tail.frames, error: tail.error });
  } finally {
    for (const ch of channels) void ch?.close();
  }
}
