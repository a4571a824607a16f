import { ipv6At, macAt } from '../../model/address.js';
import type { IpHeader } from './ip.js';

export interface UnsolicitedNaFields {
  target: string;
  override: boolean;
  targetMac?: string;
}

/** An unsolicited IPv6 neighbour advertisement (ICMPv6 136 with the Solicited flag clear) — the v6 GARP. */
export function decodeUnsolicitedNa(b: Uint8Array, ip: IpHeader): UnsolicitedNaFields | null {
  const p = ip.payloadStart;
  const end = ip.payloadEnd;
  if (p + 24 > end || b[p] !== 136 || b[p + 1] !== 0) return null;
  const flags = b[p + 4];
  if (flags & 0x40) return null; // solicited: an answer, not an announcement
  const na: UnsolicitedNaFields = { target: ipv6At(b, p + 8), override: (flags & 0x20) !== 0 };
  for (let q = p + 24; q + 2 <= end; ) {
    const olen = b[q + 1] * 8;
    if (olen === 0) break; // a zero-length option would loop forever
    if (b[q] === 2 && olen >= 8 && q + 8 <= end) na.targetMac = macAt(b, q + 2);
    q += olen;
  }
  return na;
}
