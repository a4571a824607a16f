import { ForensicError, type Problem } from '../../errors.js';
import type { UnitFormat } from './framer.js';
import { TimeKind, type InterfaceInfo, type PacketView } from './packet.js';
import { MAX_PACKET } from './limits.js';

export const PCAP_MAGICS = {
  MICRO: 0xa1b2c3d4,
  NANO: 0xa1b23c4d,
  KUZNETZOV: 0xa1b2cd34,
} as const;

/** True when the first four bytes are a classic pcap magic in either byte order. */
export function isPcap(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const be = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  const le = ((head[3] << 24) | (head[2] << 16) | (head[1] << 8) | head[0]) >>> 0;
  return [be, le].some((m) => m === PCAP_MAGICS.MICRO || m === PCAP_MAGICS.NANO || m === PCAP_MAGICS.KUZNETZOV);
}

export interface PcapHeader {
  bigEndian: boolean;
  nano: boolean;
  major: number;
  minor: number;
  snaplen: number;
  /** Link type, masked to its low 16 bits as libpcap does (fuzzed files put junk above). */
  linkType: number;
  /** FCS length from the upper bits of the link-type field, in bytes, when the P bit is set. */
  fcsBytes: number;
}

/** Classic pcap as a unit format: a 24-byte file header, then 16-byte (24 for Kuznetzov) record headers + data. */
export class PcapFormat implements UnitFormat {
  header: PcapHeader | null = null;
  private recHeader = 16;
  private le = true;
  private swapLens = false;
  private snaplen = MAX_PACKET;
  private readonly view: PacketView;
  private iface: InterfaceInfo | null = null;
  frames = 0;

  constructor(
    private readonly file: string,
    private readonly onPacket: (p: PacketView) => void,
    private readonly onProblem: (p: Problem) => void,
    private readonly onHeader?: (h: PcapHeader, iface: InterfaceInfo) => void,
  ) {
    this.view = {
      frame: 0, offset: 0, iface: null as unknown as InterfaceInfo, timeKind: TimeKind.Micro, tsA: 0, tsB: 0,
      caplen: 0, origlen: 0, epbDirection: 0, data: new Uint8Array(0), start: 0, end: 0,
    };
  }

  private u32(b: Uint8Array, p: number): number {
    return this.le
      ? b[p] + (b[p + 1] << 8) + (b[p + 2] << 16) + b[p + 3] * 0x1000000
      : b[p] * 0x1000000 + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];
  }

  unitLength(buf: Uint8Array, pos: number, avail: number, offset: number): number {
    if (!this.header) return 24;
    const h = this.recHeader;
    if (avail < h) return h;
    let caplen = this.u32(buf, pos + 8);
    if (this.swapLens) {
      const len = this.u32(buf, pos + 12);
      if (caplen > len) caplen = len;
    }
    if (caplen > MAX_PACKET) {
      throw new ForensicError(
        'E_BAD_LENGTH',
        `record length ${caplen} exceeds the ${MAX_PACKET}-byte limit; stopped reading this file here (${this.frames} packets kept)`,
        { file: this.file, offset, frame: this.frames + 1 },
      );
    }
    return h + caplen;
  }

  unit(buf: Uint8Array, pos: number, len: number, offset: number): void {
    if (!this.header) return this.fileHeader(buf, pos, offset);
    const v = this.view;
    const h = this.recHeader;
    v.frame = ++this.frames;
    v.offset = offset;
    v.tsA = this.u32(buf, pos);
    v.tsB = this.u32(buf, pos + 4);
    v.caplen = len - h;
    v.origlen = this.u32(buf, pos + 12);
    v.data = buf;
    v.start = pos + h;
    v.end = pos + len;
    if (v.caplen > this.snaplen) {
      // libpcap keeps the first snaplen bytes of an over-long record and skips the rest; so do we, and say so.
      this.onProblem({
        code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, offset, frame: v.frame,
        message: `record length ${v.caplen} exceeds the file's snaplen ${this.snaplen}; only the first ${this.snaplen} bytes are used, as libpcap does`,
      });
      v.caplen = this.snaplen;
      v.end = v.start + this.snaplen;
    }
    if (v.tsB >= (this.header.nano ? 1_000_000_000 : 1_000_000)) {
      this.onProblem({
        code: 'E_BAD_TIME', severity: 'warning', file: this.file, offset, frame: v.frame,
        message: `fractional timestamp ${v.tsB} is not below one second (${this.header.nano ? 'ns' : 'µs'}); kept as read`,
      });
    }
    this.onPacket(v);
  }

  private fileHeader(b: Uint8Array, pos: number, offset: number): void {
    const be = ((b[pos] << 24) | (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3]) >>> 0;
    const le = ((b[pos + 3] << 24) | (b[pos + 2] << 16) | (b[pos + 1] << 8) | b[pos]) >>> 0;
    const magics: number[] = [PCAP_MAGICS.MICRO, PCAP_MAGICS.NANO, PCAP_MAGICS.KUZNETZOV];
    let magic: number;
    if (magics.includes(be)) {
      this.le = false;
      magic = be;
    } else if (magics.includes(le)) {
      this.le = true;
      magic = le;
    } else {
      throw new ForensicError('E_NOT_CAPTURE', 'not a pcap file header', { file: this.file, offset });
    }
    const u16 = (p: number) => (this.le ? b[pos + p] | (b[pos + p + 1] << 8) : (b[pos + p] << 8) | b[pos + p + 1]);
    const major = u16(4);
    const minor = u16(6);
    const snaplenField = this.u32(b, pos + 16);
    const ltField = this.u32(b, pos + 20);
    const header: PcapHeader = {
      bigEndian: !this.le,
      nano: magic === PCAP_MAGICS.NANO,
      major,
      minor,
      snaplen: snaplenField,
      linkType: ltField & 0xffff,
      fcsBytes: ltField & 0x04000000 ? ((ltField >>> 28) & 0xf) * 2 : 0,
    };
    this.header = header;
    if (magic === PCAP_MAGICS.KUZNETZOV) this.recHeader = 24;
    // libpcap swaps caplen/len for files older than 2.3
    this.swapLens = major < 2 || (major === 2 && minor < 3);
    // A zero snaplen (hand-made files) means the hard limit.
    this.snaplen = snaplenField > 0 ? Math.min(snaplenField, MAX_PACKET) : MAX_PACKET;
    this.iface = {
      id: 0, section: 0, linkType: header.linkType, snaplen: snaplenField,
      unitsPerSec: header.nano ? 1_000_000_000n : 1_000_000n, digits: header.nano ? 9 : 6, tsOffset: 0n,
    };
    this.view.iface = this.iface;
    this.view.timeKind = header.nano ? TimeKind.Nano : TimeKind.Micro;
    this.onHeader?.(header, this.iface);
  }
}
