/**
 * What a container reader (pcap, pcapng) hands to the decoders for each packet. One object is reused for every packet
 * so the record walk allocates nothing; decoders copy out what they keep. `data` is only valid during the callback.
 */
export const enum TimeKind {
  /** seconds + fraction in µs (pcap µs magic) */
  Micro = 0,
  /** seconds + fraction in ns (pcap ns magic) */
  Nano = 1,
  /** 64-bit tick count in the interface's resolution (pcapng) */
  Ticks = 2,
  /** no timestamp at all (pcapng Simple Packet Block) */
  Untimed = 3,
}

export interface InterfaceInfo {
  /** Interface id within its section (pcapng) or 0 (pcap). */
  id: number;
  /** 0-based section number (pcapng SHB count); 0 for pcap. */
  section: number;
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Ticks per second as a bigint (10^n or 2^n). */
  unitsPerSec: bigint;
  /** Fractional digits worth printing for this interface (6 for µs, 9 for ns and finer). */
  digits: number;
  /** if_tsoffset, seconds added to every timestamp. */
  tsOffset: bigint;
  /** pcapng: unitsPerSec as a number, and the raw tick seconds (before tsOffset) that land in years 0000-9999 */
  ticksPerSec?: number;
  rawSecRange?: [number, number];
}

export interface PacketView {
  /** 1-based packet number, counted as tcpdump -# counts: every packet record, whatever it holds. */
  frame: number;
  /** Byte offset of the record (or block) header in the decompressed stream. */
  offset: number;
  iface: InterfaceInfo;
  timeKind: TimeKind;
  /** Micro/Nano: seconds; Ticks: high 32 bits. */
  tsA: number;
  /** Micro/Nano: fraction; Ticks: low 32 bits. */
  tsB: number;
  caplen: number;
  origlen: number;
  /** pcapng epb_flags direction bits: 0 unknown, 1 inbound, 2 outbound. */
  epbDirection: number;
  data: Uint8Array;
  start: number;
  end: number;
  /** set on a (copied) packet whose time is far from every packet around it: see OutlierGate */
  timeOutlier?: boolean;
}

export interface TimeOf {
  /** null when the packet carries no time (SPB). */
  ns: bigint | null;
  /** Fraction ≥ one second, kept as read (tcpdump prints "(invalid)") */
  invalid: boolean;
  digits: number;
}

const BILLION = 1_000_000_000n;

/** Time of a packet, computed only for packets that become records: BigInt costs are paid for VRRP, not for every frame. */
export function timeOf(p: PacketView): TimeOf {
  return { ns: timeNs(p), invalid: timeInvalid(p), digits: timeDigits(p) };
}

/** The packet's time in ns since the epoch; null when it has none (the three parts apart: no object per record). */
export function timeNs(p: PacketView): bigint | null {
  switch (p.timeKind) {
    // (the whole second is worked out once per second: a storm's packets share it, and each BigInt is garbage;
    // a 32-bit fraction × 1000 stays exact in a double)
    case TimeKind.Micro:
      return secondNs(p.tsA) + BigInt(p.tsB * 1000);
    case TimeKind.Nano:
      return secondNs(p.tsA) + BigInt(p.tsB);
    case TimeKind.Ticks: {
      const ticks = (BigInt(p.tsA) << 32n) | BigInt(p.tsB);
      const u = p.iface.unitsPerSec;
      const sec = ticks / u + p.iface.tsOffset;
      const frac = ticks % u;
      return sec * BILLION + (frac * BILLION) / u;
    }
    default:
      return null;
  }
}

/** The fraction is a second or more (kept as read; tcpdump prints "(invalid)"). */
export function timeInvalid(p: PacketView): boolean {
  return p.timeKind === TimeKind.Micro ? p.tsB >= 1_000_000 : p.timeKind === TimeKind.Nano && p.tsB >= 1_000_000_000;
}

/** Fractional digits the packet's time really has. */
export function timeDigits(p: PacketView): number {
  return p.timeKind === TimeKind.Micro ? 6 : p.timeKind === TimeKind.Nano ? 9 : p.timeKind === TimeKind.Ticks ? p.iface.digits : 0;
}

/** `sec` seconds in ns, the last one kept. */
function secondNs(sec: number): bigint {
  if (sec !== lastSecond) {
    lastSecondNs = BigInt(sec) * BILLION;
    lastSecond = sec;
  }
  return lastSecondNs;
}

let lastSecond = 0;
let lastSecondNs = 0n;

/** A packet's time in seconds as a float, for plausibility checks only (no BigInt per packet); null when untimed. */
export function approxSeconds(p: PacketView): number | null {
  if (p.timeKind === TimeKind.Micro || p.timeKind === TimeKind.Nano) return p.tsA;
  if (p.timeKind === TimeKind.Ticks) return (p.tsA * 4294967296 + p.tsB) / (p.iface.ticksPerSec ?? Number(p.iface.unitsPerSec)) + Number(p.iface.tsOffset);
  return null;
}
