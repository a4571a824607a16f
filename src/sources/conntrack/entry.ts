import type { ConntrackEntry, NatClass, Tuple } from '../../model/conntrack.js';
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
    return { kind: 'snat-swapped', translatedSource: rs };
  }
  return { kind: 'snat+dnat', translatedSource: rd, translatedDestination: rs };
}

export const PROTO = { IGMP: 2, AH: 51, VRRP: 112 } as const;

/** Identity of a flow across dumps: protocol, zone, both tuples (a different NAT binding is a different entry). */
export function flowKey(e: ConntrackEntry): string {
  const t = (x: Tuple) => `${x.src}>${x.dst}:${x.sport ?? x.type ?? x.srckey ?? ''}/${x.dport ?? x.code ?? x.dstkey ?? ''}/${x.id ?? ''}`;
  return `${e.protoNum}|${e.zone ?? e.zoneOrig ?? 0}|${t(e.orig)}|${t(e.reply)}`;
}
