import { ipv4At, ipv6At } from '../../model/address.js';
import type { IpInfo } from '../../model/records.js';
import { sum16, sumIsValid } from './checksum.js';

export const IPPROTO = { HOPOPTS: 0, ICMPV6: 58, ROUTING: 43, FRAGMENT: 44, AH: 51, DSTOPTS: 60, VRRP: 112 } as const;

/** The network header of one packet: where its payload is and what it carries. */
export interface IpHeader extends IpInfo {
  /** final protocol after extension headers / AH */
  protocol: number;
  payloadStart: number;
  /** end of the payload as the IP header declares it, clipped to what was captured */
  payloadEnd: number;
  /** payload length as declared (what tcpdump prints as the upper layer's "length") */
  declaredLength: number;
  /** offsets of the address bytes, for pseudo-header checksums */
  srcAt: number;
  dstAt: number;
}

/**
 * An IPv4 address's text, the same string for the same address: a storm repeats a few addresses hundreds of
 * thousands of times (source, group, VIP, ARP target), and each text made anew was garbage that the reorder windows
 * then held. Bounded: forgotten when it grows past a few thousand addresses.
 */
export function ipv4Text(b: Uint8Array, p: number): string {
  const k = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  let t = IPV4_TEXT.get(k);
  if (t === undefined) {
    if (IPV4_TEXT.size >= 4096) IPV4_TEXT.clear();
    t = ipv4At(b, p);
    IPV4_TEXT.set(k, t);
  }
  return t;
}

const IPV4_TEXT = new Map<number, string>();

/** Quick filter on the hot path: is this IPv4 packet's protocol one we decode? */
export function ipv4Protocol(b: Uint8Array, p: number, end: number): number {
  return p + 20 <= end ? b[p + 9] : -1;
}

export function decodeIpv4(b: Uint8Array, p: number, end: number): IpHeader | null {
  if (p + 20 > end || b[p] >> 4 !== 4) return null;
  const ihl = (b[p] & 0x0f) * 4;
  if (ihl < 20) return null;
  const total = (b[p + 2] << 8) | b[p + 3];
  const fragWord = (b[p + 6] << 8) | b[p + 7];
  const fragOffset = (fragWord & 0x1fff) * 8;
  const more = (fragWord & 0x2000) !== 0;
  const headerCaptured = p + ihl <= end;
  const h: IpHeader = {
    ipVersion: 4,
    src: ipv4Text(b, p + 12),
    dst: ipv4Text(b, p + 16),
    ttl: b[p + 8],
    ipChecksumOk: headerCaptured ? sumIsValid(sum16(b, p, p + ihl)) : undefined,
    protocol: b[p + 9],
    payloadStart: p + ihl,
    payloadEnd: Math.min(end, p + Math.max(total, ihl)),
    declaredLength: Math.max(0, total - ihl),
    srcAt: p + 12,
    dstAt: p + 16,
  };
  if (fragOffset !== 0 || more) h.fragment = { offset: fragOffset, more };
  if (h.protocol === IPPROTO.AH) unwrapAh(b, h);
  return h;
}

/** keepalived's auth_type AH puts VRRP inside an AH header: step over it. */
function unwrapAh(b: Uint8Array, h: IpHeader): void {
  const p = h.payloadStart;
  if (p + 2 > h.payloadEnd) return;
  const len = (b[p + 1] + 2) * 4;
  h.protocol = b[p];
  h.payloadStart = p + len;
  h.declaredLength = Math.max(0, h.declaredLength - len);
  h.ah = true;
}

export function decodeIpv6(b: Uint8Array, p: number, end: number): IpHeader | null {
  if (p + 40 > end || b[p] >> 4 !== 6) return null;
  const plen = (b[p + 4] << 8) | b[p + 5];
  const h: IpHeader = {
    ipVersion: 6,
    src: ipv6At(b, p + 8),
    dst: ipv6At(b, p + 24),
    ttl: b[p + 7],
    protocol: b[p + 6],
    payloadStart: p + 40,
    payloadEnd: Math.min(end, p + 40 + plen),
    declaredLength: plen,
    srcAt: p + 8,
    dstAt: p + 24,
  };
  // Extension headers; a bounded walk (each step advances at least 8 bytes).
  for (let guard = 0; guard < 16; guard++) {
    const q = h.payloadStart;
    const nh = h.protocol;
    let len: number;
    if (nh === IPPROTO.HOPOPTS || nh === IPPROTO.ROUTING || nh === IPPROTO.DSTOPTS) {
      if (q + 2 > h.payloadEnd) break;
      len = (b[q + 1] + 1) * 8;
    } else if (nh === IPPROTO.FRAGMENT) {
      if (q + 8 > h.payloadEnd) break;
      const w = (b[q + 2] << 8) | b[q + 3];
      h.fragment = { offset: (w & 0xfff8), more: (w & 1) !== 0 };
      len = 8;
    } else if (nh === IPPROTO.AH) {
      if (q + 2 > h.payloadEnd) break;
      len = (b[q + 1] + 2) * 4;
      h.ah = true;
    } else {
      break;
    }
    h.protocol = b[q];
    h.payloadStart = q + len;
    h.declaredLength = Math.max(0, h.declaredLength - len);
  }
  return h;
}
