import type { Direction } from '../../model/records.js';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
  FRELAY: 107,
  /** DLT_RAW values some old files carry in the header */
  RAW_OLD: 12,
  RAW_OPENBSD: 14,
} as const;

export const ETHERTYPE = { IPV4: 0x0800, ARP: 0x0806, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8, QINQ_OLD: 0x9100, PBB: 0x88e7 } as const;

/** Where the network layer starts and what it is; one object reused for every packet. */
export interface LinkResult {
  /**
   * ethertype of the network layer as the frame gives it (Ethernet, SLL: any value, a tag's when the frame ends inside
   * the tags; other links: IPv4/IPv6, or 0 when there is none we decode)
   */
  etherType: number;
  netOffset: number;
  /** offset of the link-layer source address, -1 when the link has none */
  srcMacAt: number;
  srcMacLen: number;
  direction: Direction | undefined;
  vlanCount: number;
  vlans: number[];
  /** SLL2's interface index, -1 for other links */
  ifIndex: number;
  /** 802.1ah (PBB) I-SID of the service instance the frame was carried in, -1 when not PBB */
  isid: number;
}

export function newLinkResult(): LinkResult {
  return { etherType: 0, netOffset: 0, srcMacAt: -1, srcMacLen: 0, direction: undefined, vlanCount: 0, vlans: [], ifIndex: -1, isid: -1 };
}

const SLL_TYPES: (Direction | undefined)[] = ['to-us', 'broadcast', 'multicast', 'other-host', 'sent-by-us'];

function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

const isTag = (t: number) => t === ETHERTYPE.VLAN || t === ETHERTYPE.QINQ || t === ETHERTYPE.QINQ_OLD;

/**
 * Follows any stack of 802.1Q / 802.1ad tags and 802.1ah (PBB) encapsulation, starting from ethertype `type` whose
 * payload begins at `p`. PBB's I-tag (4 bytes: PCP/DEI/UCA, 24-bit I-SID) is followed by the customer's whole Ethernet
 * header, whose source MAC is the one that names the sender; its own tags are walked like the outer ones.
 */
function walkTags(b: Uint8Array, type: number, p: number, end: number, r: LinkResult): void {
  for (;;) {
    if (isTag(type) && p + 4 <= end) {
      r.vlans[r.vlanCount++] = u16(b, p) & 0x0fff;
      type = u16(b, p + 2);
      p += 4;
    } else if (type === ETHERTYPE.PBB && p + 18 <= end) {
      r.isid = ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      r.srcMacAt = p + 10;
      r.srcMacLen = 6;
      type = u16(b, p + 16);
      p += 18;
    } else break;
  }
  r.etherType = type;
  r.netOffset = p;
}

function byVersion(b: Uint8Array, p: number, end: number, r: LinkResult): void {
  r.netOffset = p;
  if (p >= end) return;
  const v = b[p] >> 4;
  r.etherType = v === 4 ? ETHERTYPE.IPV4 : v === 6 ? ETHERTYPE.IPV6 : 0;
}

function byAddressFamily(af: number, p: number, r: LinkResult): void {
  r.netOffset = p;
  r.etherType = af === 2 ? ETHERTYPE.IPV4 : af === 24 || af === 28 || af === 30 ? ETHERTYPE.IPV6 : 0;
}

/**
 * Decodes the link layer of one packet into `r`. Returns false when the link type or frame is not one we read; true
 * when the link layer was read, whatever ethertype it carries (the caller counts those it does not decode).
 */
export function locateNetwork(linkType: number, b: Uint8Array, start: number, end: number, epbDirection: number, r: LinkResult): boolean {
  r.etherType = 0;
  r.srcMacAt = -1;
  r.srcMacLen = 0;
  r.vlanCount = 0;
  r.ifIndex = -1;
  r.isid = -1;
  r.direction = epbDirection === 1 ? 'inbound' : epbDirection === 2 ? 'outbound' : undefined;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      if (end - start < 14) return false;
      r.srcMacAt = start + 6;
      r.srcMacLen = 6;
      walkTags(b, u16(b, start + 12), start + 14, end, r);
      return true;
    case LINKTYPE.LINUX_SLL: {
      if (end - start < 16) return false;
      const pkt = u16(b, start);
      r.direction = SLL_TYPES[pkt] ?? r.direction;
      const alen = u16(b, start + 4);
      if (alen > 0) {
        r.srcMacAt = start + 6;
        r.srcMacLen = Math.min(alen, 8);
      }
      walkTags(b, u16(b, start + 14), start + 16, end, r);
      return true;
    }
    case LINKTYPE.LINUX_SLL2: {
      if (end - start < 20) return false;
      r.ifIndex = ((b[start + 4] << 24) | (b[start + 5] << 16) | (b[start + 6] << 8) | b[start + 7]) >>> 0;
      r.direction = SLL_TYPES[b[start + 10]] ?? r.direction;
      const alen = b[start + 11];
      if (alen > 0) {
        r.srcMacAt = start + 12;
        r.srcMacLen = Math.min(alen, 8);
      }
      walkTags(b, u16(b, start), start + 20, end, r);
      return true;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OLD:
    case LINKTYPE.RAW_OPENBSD:
      byVersion(b, start, end, r);
      return r.etherType !== 0;
    case LINKTYPE.IPV4:
      r.netOffset = start;
      r.etherType = ETHERTYPE.IPV4;
      return true;
    case LINKTYPE.IPV6:
      r.netOffset = start;
      r.etherType = ETHERTYPE.IPV6;
      return true;
    case LINKTYPE.NULL: {
      if (end - start < 4) return false;
      const le = b[start] | (b[start + 1] << 8) | (b[start + 2] << 16) | (b[start + 3] << 24);
      const be = (b[start] << 24) | (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3];
      // the capturing host's byte order: whichever reading is small
      byAddressFamily((le >>> 0) < 0x10000 ? le : be, start + 4, r);
      return r.etherType !== 0;
    }
    case LINKTYPE.LOOP: {
      if (end - start < 4) return false;
      byAddressFamily(((b[start] << 24) | (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3]) >>> 0, start + 4, r);
      return r.etherType !== 0;
    }
    case LINKTYPE.FRELAY:
      return frameRelay(b, start, end, r);
    default:
      return false;
  }
}

/**
 * Frame Relay (Q.922 address of 2-4 bytes, ended by the EA bit), then either RFC 2427 (UI 0x03 + NLPID) or Cisco
 * encapsulation (an ethertype). Rare on gateways, but tcpdump's VRRP fuzz captures use it.
 */
function frameRelay(b: Uint8Array, start: number, end: number, r: LinkResult): boolean {
  let p = start;
  while (p < end && p - start < 4 && (b[p] & 1) === 0) p++;
  p++; // the byte with EA set ends the address
  if (p - start < 2 || p + 2 > end) return false;
  if (b[p] === 0x03) {
    let q = p + 1;
    if (q < end && b[q] === 0x00) q++; // optional pad
    if (q >= end) return false;
    r.netOffset = q + 1;
    r.etherType = b[q] === 0xcc ? ETHERTYPE.IPV4 : b[q] === 0x8e ? ETHERTYPE.IPV6 : 0;
  } else {
    r.netOffset = p + 2;
    r.etherType = u16(b, p);
  }
  return r.etherType === ETHERTYPE.IPV4 || r.etherType === ETHERTYPE.IPV6;
}
