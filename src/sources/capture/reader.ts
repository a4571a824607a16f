import { OutlierGate, outlierText } from '../../model/outliers.js';
import type { ForensicError, Problem } from '../../errors.js';
import type { CaptureRecord, SkippedFrames } from '../../model/records.js';
import { drive } from '../drive.js';
import { notA, type OpenedInput } from '../input.js';
import { createPacketDecoder, skippedFrames, type DecodeCounters } from './decode.js';
import { Framer, type UnitFormat } from './framer.js';
import { approxSeconds, type InterfaceInfo, type PacketView } from './packet.js';
import { isPcap, PcapFormat } from './pcap.js';
import { isPcapng, PcapngFormat } from './pcapng.js';

export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng';

export function sniffCapture(head: Uint8Array): CaptureFormat | null {
  if (isPcapng(head)) return 'pcapng';
  if (isPcap(head)) {
    const nano = (head[0] === 0xa1 && head[2] === 0x3c) || (head[3] === 0xa1 && head[1] === 0x3c);
    return nano ? 'pcap-ns' : 'pcap';
  }
  return null;
}

/** Live counters for one capture: progress while reading, the input summary after. */
export interface CaptureInfo {
  file: string;
  format: CaptureFormat | null;
  gzip: boolean;
  bytes: number;
  frames: number;
  records: number;
  interfaces: InterfaceInfo[];
  blocks?: Record<string, number>;
  undecodable: number;
  linkTypes: number[];
  /** frames of link types / ethertypes not decoded (an unread link layer, or e.g. LLDP, MPLS, ethertype 0x0000) */
  skipped: SkippedFrames[];
  problems: Problem[];
  /** set when the file stopped early; everything before it was kept */
  error?: ForensicError;
}

/**
 * The stream-free capture parser: push chunks, get records through a callback. Used directly by tests (any chunk
 * size) and wrapped by `readCapture` for files and stdin.
 */
export class CaptureParser {
  readonly info: CaptureInfo;
  private framer: Framer | null = null;
  private format: PcapFormat | PcapngFormat | null = null;
  private pending: Uint8Array[] = [];
  private gate: OutlierGate<PacketView> | null = null;
  private readonly counters: DecodeCounters = { undecodable: 0, linkTypes: new Set(), skipped: new Map() };
  private readonly decode: (v: PacketView) => void;

  constructor(
    file: string,
    private readonly onRecord: (r: CaptureRecord) => void,
    private readonly onPacket?: (v: PacketView) => void,
  ) {
    this.info = { file, format: null, gzip: false, bytes: 0, frames: 0, records: 0, interfaces: [], undecodable: 0, linkTypes: [], skipped: [], problems: [] };
    this.decode = createPacketDecoder(file, (r) => {
      this.info.records++;
      this.onRecord(r);
    }, this.counters);
  }

  /** Feeds bytes. Throws ForensicError when the file cannot be read further (records so far were delivered). */
  write(chunk: Uint8Array): void {
    if (!this.framer) {
      this.pending.push(chunk);
      const head = Buffer.concat(this.pending);
      if (head.length < 12) return;
      this.pending = [];
      this.start(head);
      chunk = head;
    }
    try {
      this.framer!.write(chunk);
    } catch (err) {
      this.gate?.end(); // the file stops here: a held-back packet is judged now, not lost
      throw err;
    } finally {
      this.sync();
    }
  }

  end(): void {
    if (!this.framer) {
      const head = Buffer.concat(this.pending);
      this.pending = [];
      if (head.length >= 4 && sniffCapture(Buffer.concat([head, Buffer.alloc(12)])) !== null) {
        this.start(head);
        this.framer!.write(head);
      } else {
        throw notA('capture file (pcap or pcapng)', { name: this.info.file, head });
      }
    }
    const p = this.framer!.end();
    if (p) this.info.problems.push(p);
    this.gate?.end();
    this.sync();
  }

  private start(head: Uint8Array): void {
    const fmt = sniffCapture(head);
    if (!fmt) throw notA('capture file (pcap or pcapng)', { name: this.info.file, head: Buffer.from(head) });
    this.info.format = fmt;
    const onProblem = (p: Problem) => this.info.problems.push(p);
    const pass = (v: PacketView) => {
      this.onPacket?.(v);
      this.decode(v);
    };
    // an outlier is still listed (as tcpdump lists it) but marked, so the analysis leaves it out
    const gate = new OutlierGate<PacketView>(
      pass,
      (v, sec, near) => {
        onProblem({ code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, offset: v.offset, frame: v.frame, message: outlierText(sec, near, 'packets') });
        v.timeOutlier = true;
        pass(v);
      },
      (v) => ({ ...v, data: v.data.slice(v.start, v.end), start: 0, end: v.end - v.start }),
    );
    this.gate = gate;
    const onPacket = (v: PacketView) => gate.offer(v, approxSeconds(v));
    const f: UnitFormat & (PcapFormat | PcapngFormat) =
      fmt === 'pcapng'
        ? new PcapngFormat(this.info.file, onPacket, onProblem)
        : new PcapFormat(this.info.file, onPacket, onProblem, (_h, iface) => this.info.interfaces.push(iface));
    this.format = f;
    this.framer = new Framer(f, this.info.file);
  }

  private sync(): void {
    const f = this.format;
    this.info.bytes = this.framer?.info.bytes ?? 0;
    this.info.frames = f?.frames ?? 0;
    if (f instanceof PcapngFormat) {
      this.info.interfaces = f.info.interfaces;
      this.info.blocks = f.info.blocks;
    }
    this.info.undecodable = this.counters.undecodable;
    this.info.linkTypes = [...this.counters.linkTypes];
    this.info.skipped = skippedFrames(this.counters);
  }
}

export interface ReadCaptureOptions {
  chunkSize?: number;
  /** Already opened (the caller sniffed it); otherwise `path` is opened here. */
  opened?: OpenedInput;
  onPacket?: (v: PacketView) => void;
}

/**
 * Reads one capture (path, `-`, gzip or not) as an async stream of record batches. Never throws for bad content: a
 * damaged file ends with `info.error` set and every record before the damage delivered.
 */
export async function* readCapture(path: string, opts: ReadCaptureOptions = {}): AsyncGenerator<CaptureRecord[], CaptureInfo> {
  return yield* drive<CaptureRecord, CaptureInfo>(path, (emit) => new CaptureParser(path, emit, opts.onPacket), {
    ...opts,
    check: (input) => {
      if (!sniffCapture(input.head)) throw notA('capture file (pcap or pcapng)', input);
    },
  });
}
