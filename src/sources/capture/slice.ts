import { closeSync, openSync, readSync } from 'node:fs';
import type { Problem } from '../../errors.js';
import type { GateState } from '../../model/outliers.js';
import type { CaptureRecord } from '../../model/records.js';
import { MAX_PACKET } from './limits.js';
import { approxSeconds, type PacketView } from './packet.js';
import { CaptureParser } from './parser.js';
import { PCAP_MAGICS } from './pcap.js';

/** What a classic pcap file's 24-byte header says about its records, as far as finding one in the middle needs. */
export interface PcapLayout {
  le: boolean;
  nano: boolean;
  /** the largest caplen a record may have and still be believed (the snaplen, or the hard limit) */
  maxCaplen: number;
  /** the first record's seconds: a record far before it, or decades after, is not one of this file's (null: none) */
  firstSec: number | null;
}

/**
 * The layout of a pcap file that can be read from the middle: 16-byte record headers, caplen and len in their modern
 * order (2.3 and later). Kuznetzov's 24-byte headers and older files are read from the start only: null.
 */
export function pcapLayout(header: Uint8Array, firstRecord?: Uint8Array): PcapLayout | null {
  if (header.length < 24) return null;
  const v = Buffer.from(header.buffer, header.byteOffset, 24);
  const r = firstRecord && firstRecord.length >= 4 ? Buffer.from(firstRecord.buffer, firstRecord.byteOffset, 4) : null;
  for (const le of [true, false]) {
    const magic = le ? v.readUInt32LE(0) : v.readUInt32BE(0);
    if (magic !== PCAP_MAGICS.MICRO && magic !== PCAP_MAGICS.NANO) continue;
    const major = le ? v.readUInt16LE(4) : v.readUInt16BE(4);
    const minor = le ? v.readUInt16LE(6) : v.readUInt16BE(6);
    if (major < 2 || (major === 2 && minor < 3)) return null;
    const snaplen = le ? v.readUInt32LE(16) : v.readUInt32BE(16);
    const firstSec = r ? (le ? r.readUInt32LE(0) : r.readUInt32BE(0)) : null;
    return { le, nano: magic === PCAP_MAGICS.NANO, maxCaplen: snaplen > 0 ? Math.min(snaplen, MAX_PACKET) : MAX_PACKET, firstSec };
  }
  return null;
}

/** How many successive record headers must agree before an offset is taken for a record boundary. */
export const CHAIN = 8;
const REC = 16;
/** A chain's times may step back this much (packets of two interfaces interleaved) or forward this much (a quiet day). */
const STEP_BACK_SEC = 1;
const STEP_ON_SEC = 86_400;
/** How far after the file's first record a record may lie: a capture of decades is not one. */
const SPAN_SEC = 20 * 366 * 86_400;

/** Reads `n` bytes at an absolute offset (fewer at the end of the file). */
export type ReadAt = (offset: number, n: number) => Uint8Array;

/**
 * The first offset in [from, from + the largest record) where a chain of CHAIN record headers holds together — each
 * caplen from 1 to the file's snaplen (and the hard limit), len ≥ caplen, a fraction below one second, a time from a
 * day before the file's first record to 20 years after it, times that go on (within a step back of a second, a step
 * on of a day) — or the chain runs into the end of the file after its first link (a last record may be cut short). Zeroed payload
 * bytes fail (caplen 0, 1970). Lengths are only compared, never allocated from. Null when no offset qualifies.
 *
 * A header-like run of bytes inside a payload can fool one check, hardly eight in a row; and the caller never trusts
 * the answer alone: a slice's start must equal where the slice before it ended, read record by record.
 */
export function findRecordBoundary(readAt: ReadAt, from: number, size: number, layout: PcapLayout): number | null {
  const span = MAX_PACKET + REC;
  const window = readAt(from, Math.min(size - from, span + CHAIN * (MAX_PACKET + REC)));
  const view = new DataView(window.buffer, window.byteOffset, window.byteLength);
  const scratch = new DataView(new ArrayBuffer(REC));
  const header = (at: number): DataView | null => {
    const rel = at - from;
    if (rel + REC <= window.length) return new DataView(view.buffer, view.byteOffset + rel, REC);
    const b = readAt(at, REC);
    if (b.length < REC) return null;
    for (let i = 0; i < REC; i++) scratch.setUint8(i, b[i]);
    return scratch;
  };
  const fracLimit = layout.nano ? 1_000_000_000 : 1_000_000;
  const le = layout.le;
  // one header's own checks; the time step is judged against the header before it
  const sound = (h: DataView, prevSec: number | null): number => {
    const sec = h.getUint32(0, le);
    const caplen = h.getUint32(8, le);
    if (caplen === 0 || caplen > layout.maxCaplen || h.getUint32(12, le) < caplen || h.getUint32(4, le) >= fracLimit) return -1;
    if (layout.firstSec !== null && (sec < layout.firstSec - STEP_ON_SEC || sec > layout.firstSec + SPAN_SEC)) return -1;
    if (prevSec !== null && (sec < prevSec - STEP_BACK_SEC || sec > prevSec + STEP_ON_SEC)) return -1;
    return caplen;
  };
  const last = Math.min(from + span, size);
  for (let p = from; p < last; p++) {
    let at = p;
    let prevSec: number | null = null;
    let ok = true;
    for (let n = 0; n < CHAIN; n++) {
      if (at === size) break; // the chain ends with the file
      const h = header(at);
      if (!h) {
        ok = n > 0; // a cut-off last header: a truncated file, not a fooled chain (but not the first link)
        break;
      }
      const caplen = sound(h, prevSec);
      if (caplen < 0) {
        ok = false;
        break;
      }
      prevSec = h.getUint32(0, le);
      at += REC + caplen;
      if (at > size) {
        ok = n > 0; // a truncated last record ends a chain, but is no chain alone
        break;
      }
    }
    if (ok) return p;
  }
  return null;
}

/** What a slice read elsewhere hands back, message by message: where it starts, its first time, records, the end. */
export type SliceMessage =
  | { type: 'sync'; at: number | null }
  | { type: 'first'; sec: number | null }
  | { type: 'records'; records: CaptureRecord[] }
  | { type: 'done'; end: SliceEnd };

export interface SliceEnd {
  /** how the slice ended: at a record at or after its end, at the end of the file, or at damage */
  how: 'stop' | 'eof' | 'damage';
  /** the boundary it stopped at (stop), the end of the file (eof), the damaged record (damage) */
  at: number;
  /** frames read in the slice (the caller adds those before it) */
  frames: number;
  gate: GateState<PacketView>;
  problems: Problem[];
  undecodable: number;
  linkTypes: number[];
  skipped: [number, number][];
}

export interface SliceTask {
  file: string;
  /** the file's header and its first record's header (or as much of it as there is) */
  header: Uint8Array;
  firstRecord: Uint8Array;
  /** the slice: the first record boundary at or after `start` up to the first one at or after `end` */
  start: number;
  end: number;
  size: number;
  chunkSize: number;
}

/**
 * Reads one slice of a pcap file (in a worker thread): finds its first record boundary, then reads record by record
 * with a fresh parser whose frames count from 0, posting records as each chunk is parsed. `credit` blocks until the
 * reader of the posted records has caught up (so a slice holds at most a window of records however dense the file).
 */
export function readSlice(t: SliceTask, post: (m: SliceMessage) => void, credit: (sent: number) => void): void {
  const fd = openSync(t.file, 'r');
  try {
    const layout = pcapLayout(t.header, t.firstRecord)!;
    const readAt: ReadAt = (offset, n) => {
      const b = Buffer.allocUnsafe(Math.max(0, Math.min(n, t.size - offset)));
      const got = b.length ? readSync(fd, b, 0, b.length, offset) : 0;
      return b.subarray(0, got);
    };
    const at = findRecordBoundary(readAt, t.start, t.size, layout);
    post({ type: 'sync', at });
    if (at === null) return;
    let batch: CaptureRecord[] = [];
    let first: number | null | undefined;
    const parser = new CaptureParser(t.file, (r) => batch.push(r), (v) => {
      if (first === undefined) {
        const sec = approxSeconds(v);
        if (sec !== null) first = sec;
      }
    }, { stopAt: t.end, resume: { header: t.header, offset: at, frames: 0 } });
    let sent = 0;
    let told = false;
    // pcap packets all have times, so the first is known (and told) before any record of the slice is posted
    const flush = () => {
      if (!told && first !== undefined) {
        post({ type: 'first', sec: first });
        told = true;
      }
      if (!batch.length) return;
      credit(sent);
      post({ type: 'records', records: batch });
      sent += batch.length;
      batch = [];
    };
    const buf = Buffer.allocUnsafe(t.chunkSize);
    let pos = at;
    let how: SliceEnd['how'] = 'eof';
    try {
      while (!parser.stopped) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) {
          parser.end();
          break;
        }
        pos += n;
        parser.write(buf.subarray(0, n));
        flush();
      }
      if (parser.stopped) how = 'stop';
    } catch {
      // the damaged record is read again by whoever reads on, who words the error with the frames before it
      how = 'damage';
    }
    flush();
    if (!told) post({ type: 'first', sec: null });
    const c = parser.counters;
    post({
      type: 'done',
      end: {
        how, at: parser.position, frames: parser.info.frames, gate: parser.gateState(), problems: parser.info.problems,
        undecodable: c.undecodable, linkTypes: [...c.linkTypes], skipped: [...c.skipped],
      },
    });
  } finally {
    closeSync(fd);
  }
}
