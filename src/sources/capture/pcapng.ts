import { ForensicError, type Problem } from '../../errors.js';
import type { UnitFormat } from './framer.js';
import { outOfRangeText, TIME_RANGE_SEC } from '../../model/instant.js';
import { timeOf, TimeKind, type InterfaceInfo, type PacketView } from './packet.js';
import { MAX_BLOCK, MAX_PACKET } from './limits.js';

export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  OPB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CB: 0x00000bad,
  DCB: 0x40000bad,
} as const;

const NAMES = new Map<number, string>(Object.entries(BLOCK).map(([k, v]) => [v, k]));

export function blockName(type: number): string {
  return NAMES.get(type) ?? `0x${type.toString(16).padStart(8, '0')}`;
}

export function isPcapng(head: Uint8Array): boolean {
  return head.length >= 12 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a &&
    (isBom(head, 8, true) || isBom(head, 8, false));
}

function isBom(b: Uint8Array, p: number, le: boolean): boolean {
  return le
    ? b[p] === 0x4d && b[p + 1] === 0x3c && b[p + 2] === 0x2b && b[p + 3] === 0x1a
    : b[p] === 0x1a && b[p + 1] === 0x2b && b[p + 2] === 0x3c && b[p + 3] === 0x4d;
}

export interface PcapngInfo {
  sections: number;
  /** Every interface seen, across sections, in order. */
  interfaces: InterfaceInfo[];
  /** Blocks seen by type name (SHB, IDB, EPB, …; unknown types by hex). */
  blocks: Record<string, number>;
}

/**
 * pcapng as a unit format: one block per unit. Byte order is per section (a new SHB can flip it), interfaces are
 * numbered per section, unknown and custom blocks are skipped by their length. Every length is checked against the
 * block and the hard limit before anything is read or buffered.
 */
export class PcapngFormat implements UnitFormat {
  private le = true;
  private started = false;
  private section = -1;
  private ifaces: InterfaceInfo[] = [];
  private readonly view: PacketView;
  frames = 0;
  readonly info: PcapngInfo = { sections: 0, interfaces: [], blocks: {} };

  constructor(
    private readonly file: string,
    private readonly onPacket: (p: PacketView) => void,
    private readonly onProblem: (p: Problem) => void,
    private readonly onBlock?: (type: number, offset: number) => void,
  ) {
    this.view = {
      frame: 0, offset: 0, iface: null as unknown as InterfaceInfo, timeKind: TimeKind.Ticks, tsA: 0, tsB: 0,
      caplen: 0, origlen: 0, epbDirection: 0, data: new Uint8Array(0), start: 0, end: 0,
    };
  }

  private u32(b: Uint8Array, p: number): number {
    return this.le
      ? b[p] + (b[p + 1] << 8) + (b[p + 2] << 16) + b[p + 3] * 0x1000000
      : b[p] * 0x1000000 + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];
  }

  private u16(b: Uint8Array, p: number): number {
    return this.le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
  }

  unitLength(buf: Uint8Array, pos: number, avail: number, offset: number): number {
    if (avail < 12) return 12;
    const type = this.u32(buf, pos); // the SHB type is a palindrome, so it reads the same in either order
    if (type === BLOCK.SHB) {
      if (isBom(buf, pos + 8, true)) this.le = true;
      else if (isBom(buf, pos + 8, false)) this.le = false;
      else throw new ForensicError('E_BAD_BLOCK', 'section header block has no valid byte-order magic', { file: this.file, offset });
    } else if (!this.started) {
      throw new ForensicError('E_NOT_CAPTURE', 'pcapng must start with a section header block', { file: this.file, offset });
    }
    const total = this.u32(buf, pos + 4);
    if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
      throw new ForensicError(
        'E_BAD_LENGTH',
        `${blockName(type)} block length ${total} is ${total > MAX_BLOCK ? `over the ${MAX_BLOCK}-byte limit` : 'not a valid block length'}; stopped reading this file here (${this.frames} packets kept)`,
        { file: this.file, offset },
      );
    }
    return total;
  }

  unit(b: Uint8Array, pos: number, len: number, offset: number): void {
    const type = this.u32(b, pos);
    if (this.u32(b, pos + len - 4) !== len) {
      throw new ForensicError('E_BAD_BLOCK', `${blockName(type)} block's trailing length does not match its leading length ${len}; stopped reading this file here (${this.frames} packets kept)`, { file: this.file, offset });
    }
    const name = blockName(type);
    this.info.blocks[name] = (this.info.blocks[name] ?? 0) + 1;
    this.onBlock?.(type, offset);
    const body = pos + 8;
    const bodyEnd = pos + len - 4;
    switch (type) {
      case BLOCK.SHB:
        this.started = true;
        this.section++;
        this.info.sections++;
        this.ifaces = [];
        return;
      case BLOCK.IDB:
        return this.idb(b, body, bodyEnd, offset);
      case BLOCK.EPB:
        return this.packet(b, body, bodyEnd, offset, this.u32(b, body), body + 20, TimeKind.Ticks);
      case BLOCK.OPB:
        return this.packet(b, body, bodyEnd, offset, this.u16(b, body), body + 20, TimeKind.Ticks);
      case BLOCK.SPB:
        return this.spb(b, body, bodyEnd, offset);
      default:
        return; // NRB, ISB, DSB, custom, local-use and unknown blocks: skipped by length
    }
  }

  private idb(b: Uint8Array, body: number, end: number, offset: number): void {
    if (end - body < 8) throw new ForensicError('E_BAD_BLOCK', 'interface description block too short', { file: this.file, offset });
    const iface: InterfaceInfo = {
      id: this.ifaces.length,
      section: this.section,
      linkType: this.u16(b, body),
      snaplen: this.u32(b, body + 4),
      unitsPerSec: 1_000_000n,
      digits: 6,
      tsOffset: 0n,
      ticksPerSec: 1e6,
      rawSecRange: [TIME_RANGE_SEC.min, TIME_RANGE_SEC.max],
    };
    let seenResol = false;
    for (let p = body + 8; p + 4 <= end; ) {
      const code = this.u16(b, p);
      const olen = this.u16(b, p + 2);
      const v = p + 4;
      if (code === 0) break;
      if (v + olen > end) {
        this.onProblem({ code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, offset: offset + (p - body) + 8, message: `interface option ${code} length ${olen} runs past its block; options after it ignored` });
        break;
      }
      const text = () => Buffer.from(b.buffer, b.byteOffset + v, olen).toString('utf8').replace(/\0+$/, '');
      if (code === 2) iface.name = text();
      else if (code === 3) iface.description = text();
      else if (code === 9 && olen >= 1 && !seenResol) {
        seenResol = true;
        const r = b[v];
        if (r & 0x80) {
          iface.unitsPerSec = 1n << BigInt(r & 0x7f);
          iface.digits = (r & 0x7f) === 0 ? 0 : 9;
        } else {
          iface.unitsPerSec = 10n ** BigInt(r);
          iface.digits = Math.min(r, 9);
        }
      } else if (code === 14 && olen >= 8) {
        const hi = this.u32(b, this.le ? v + 4 : v);
        const lo = this.u32(b, this.le ? v : v + 4);
        iface.tsOffset = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
      }
      p = v + ((olen + 3) & ~3);
    }
    iface.ticksPerSec = Number(iface.unitsPerSec);
    const off = Number(iface.tsOffset);
    iface.rawSecRange = [TIME_RANGE_SEC.min - off, TIME_RANGE_SEC.max - off];
    this.ifaces.push(iface);
    this.info.interfaces.push(iface);
  }

  private iface(id: number, offset: number): InterfaceInfo | null {
    const iface = this.ifaces[id];
    if (!iface) {
      this.onProblem({ code: 'E_BAD_BLOCK', severity: 'warning', file: this.file, offset, frame: this.frames, message: `packet names interface ${id}, which this section has not described; packet skipped` });
      return null;
    }
    return iface;
  }

  private packet(b: Uint8Array, body: number, end: number, offset: number, ifId: number, dataAt: number, kind: TimeKind): void {
    const frame = ++this.frames;
    if (end - body < 20) throw new ForensicError('E_BAD_BLOCK', 'packet block too short for its header', { file: this.file, offset, frame });
    const caplen = this.u32(b, body + 12);
    if (caplen > end - dataAt || caplen > MAX_PACKET) {
      // the block's own length is sound (checked with its trailer), so only this packet is lost: skip it by that length
      this.onProblem({ code: 'E_BAD_LENGTH', severity: 'warning', file: this.file, offset, frame, message: `captured length ${caplen} exceeds ${caplen > MAX_PACKET ? `the ${MAX_PACKET}-byte limit` : `its block (${end - dataAt} bytes of data)`}; packet skipped` });
      return;
    }
    const iface = this.iface(ifId, offset);
    if (!iface) return;
    const tsA = this.u32(b, body + 4);
    const tsB = this.u32(b, body + 8);
    // a float look is enough to tell years 0000-9999 from 2^64 ticks or a ±2^63 s offset (no BigInt per packet)
    const raw = (tsA * 4294967296 + tsB) / iface.ticksPerSec!;
    if (!(raw >= iface.rawSecRange![0] && raw <= iface.rawSecRange![1])) {
      const ns = timeOf({ ...this.view, iface, timeKind: kind, tsA, tsB }).ns!;
      this.onProblem({ code: 'E_BAD_TIME', severity: 'warning', file: this.file, offset, frame, message: `${outOfRangeText(ns)}${iface.tsOffset ? ` (if_tsoffset ${iface.tsOffset} s)` : ''}; packet skipped` });
      return;
    }
    const v = this.view;
    v.frame = frame;
    v.offset = offset;
    v.iface = iface;
    v.timeKind = kind;
    v.tsA = tsA;
    v.tsB = tsB;
    v.caplen = caplen;
    v.origlen = this.u32(b, body + 16);
    v.epbDirection = 0;
    // options: epb_flags (2) holds the direction in bits 0-1
    for (let p = dataAt + ((caplen + 3) & ~3); p + 4 <= end; ) {
      const code = this.u16(b, p);
      const olen = this.u16(b, p + 2);
      if (code === 0 || p + 4 + olen > end) break;
      if (code === 2 && olen >= 4) v.epbDirection = this.u32(b, p + 4) & 3;
      p += 4 + ((olen + 3) & ~3);
    }
    v.data = b;
    v.start = dataAt;
    v.end = dataAt + caplen;
    this.onPacket(v);
  }

  private spb(b: Uint8Array, body: number, end: number, offset: number): void {
    const frame = ++this.frames;
    if (end - body < 4) throw new ForensicError('E_BAD_BLOCK', 'simple packet block too short', { file: this.file, offset, frame });
    const iface = this.iface(0, offset);
    if (!iface) return;
    const origlen = this.u32(b, body);
    const room = end - (body + 4);
    const caplen = Math.min(origlen, iface.snaplen > 0 ? iface.snaplen : room, room);
    const v = this.view;
    v.frame = frame;
    v.offset = offset;
    v.iface = iface;
    v.timeKind = TimeKind.Untimed;
    v.tsA = 0;
    v.tsB = 0;
    v.caplen = caplen;
    v.origlen = origlen;
    v.epbDirection = 0;
    v.data = b;
    v.start = body + 4;
    v.end = body + 4 + caplen;
    this.onPacket(v);
  }
}
