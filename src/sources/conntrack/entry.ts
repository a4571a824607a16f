/** One conntrack entry as a dump or event line states it. */
export interface Tuple {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** icmp type/code/id */
  type?: number;
  code?: number;
  id?: number;
  /** gre keys */
  srckey?: string;
  dstkey?: string;
}

export interface Counters {
  packets: number;
  bytes: number;
}

export type CtEvent = 'NEW' | 'UPDATE' | 'DESTROY';

export interface ConntrackEntry {
  file: string;
  line: number;
  /** the line as read, for evidence */
  text: string;
  event?: CtEvent;
  /** `-E -o timestamp` prefix or XML <when> (ns since epoch) */
  eventTime?: bigint;
  family?: 'ipv4' | 'ipv6';
  protoName: string;
  protoNum: number;
  /** seconds left; absent for offloaded flows */
  timeout?: number;
  state?: string;
  orig: Tuple;
  reply: Tuple;
  origCounters?: Counters;
  replyCounters?: Counters;
  unreplied: boolean;
  assured: boolean;
  offload?: 'OFFLOAD' | 'HW_OFFLOAD';
  mark?: number;
  zone?: number;
  zoneOrig?: number;
  zoneReply?: number;
  secctx?: string;
  secmark?: number;
  /** seconds since creation (nf_conntrack_timestamp) */
  deltaTime?: number;
  /** `-o ktimestamp` start/stop as printed (ctime, local time of the dumping host) */
  startText?: string;
  stopText?: string;
  /** XML <timestamp><start> — exact ns */
  startNs?: bigint;
  stopNs?: bigint;
  helper?: string;
  ctId?: number;
  labels?: string[];
  userspace?: { portid: number; progname?: string };
  /** when this line was true: its event time, else its file's dump time */
  observedAt?: bigint;
  observedFrom?: 'event' | 'file-content' | 'sos-manifest' | 'file-name' | 'flag' | 'mtime';
}

export type Translation = 'none' | 'snat' | 'dnat' | 'snat+dnat' | 'snat-swapped';

export interface NatClass {
  kind: Translation;
  /** the source the packets really left with (SNAT) */
  translatedSource?: string;
  /** the destination they really went to (DNAT) */
  translatedDestination?: string;
  note?: string;
}

import { isMulticast } from '../../model/address.js';

export { isMulticast };

/**
 * NAT from addresses alone (text dumps carry no status bits), with the tolerant rule for hand-edited dumps whose
 * reply tuple has its addresses swapped (the seed: `src=1.1.1.1 dst=224.0.0.18`): the translated source is the one
 * reply address that is neither the group nor the original source.
 */
export function classifyNat(e: Pick<ConntrackEntry, 'orig' | 'reply'>): NatClass {
  const { src: os, dst: od } = e.orig;
  const { src: rs, dst: rd } = e.reply;
  if (rs === od && rd === os) return { kind: 'none' };
  if (rs === od) return { kind: 'snat', translatedSource: rd };
  if (rd === os) return { kind: 'dnat', translatedDestination: rs };
  if (isMulticast(od) && rd === od && rs !== os && !isMulticast(rs)) {
    return { kind: 'snat-swapped', translatedSource: rs, note: 'reply tuple has its addresses swapped (edited or anonymised dump); read as SNAT' };
  }
  return { kind: 'snat+dnat', translatedSource: rd, translatedDestination: rs };
}

export const PROTO = { IGMP: 2, AH: 51, VRRP: 112 } as const;

/** Identity of a flow across dumps: protocol, zone, both tuples (a different NAT binding is a different entry). */
export function flowKey(e: ConntrackEntry): string {
  const t = (x: Tuple) => `${x.src}>${x.dst}:${x.sport ?? x.type ?? x.srckey ?? ''}/${x.dport ?? x.code ?? x.dstkey ?? ''}/${x.id ?? ''}`;
  return `${e.protoNum}|${e.zone ?? e.zoneOrig ?? 0}|${t(e.orig)}|${t(e.reply)}`;
}
