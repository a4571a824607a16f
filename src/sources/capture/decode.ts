import { macAt } from '../../model/address.js';
import type { CaptureRecord, CaptureRecordBase, IpInfo, SkippedFrames } from '../../model/records.js';
import { garpFields, isGratuitousArp } from './arp.js';
import { decodeCarp, isCarp } from './carp.js';
import { decodeIpv4, decodeIpv6, IPPROTO, type IpHeader } from './ip.js';
import { ETHERTYPE, locateNetwork, newLinkResult, type LinkResult } from './link.js';
import { decodeUnsolicitedNa } from './ndp.js';
import { timeDigits, timeInvalid, timeNs, type PacketView } from './packet.js';
import { decodeVrrp } from './vrrp.js';

export interface DecodeCounters {
  /** packets whose link layer we could not read (unsupported link type or runt frame) */
  undecodable: number;
  /** link types met, by number */
  linkTypes: Set<number>;
  /** frames not decoded, by link type and ethertype: see skippedFrames() */
  skipped: Map<number, number>;
}


// one number per (link type, ethertype) pair; ethertype -1 for an unread link layer
const skipKey = (linkType: number, etherType: number) => linkType * 0x20000 + etherType + 1;

export function skippedFrames(c: DecodeCounters): SkippedFrames[] {
  return [...c.skipped].sort((a, b) => a[0] - b[0]).map(([k, frames]) => {
    const e = (k % 0x20000) - 1;
    return { linkType: Math.floor(k / 0x20000), etherType: e < 0 ? null : e, frames };
  });
}

function skip(c: DecodeCounters, linkType: number, etherType: number): void {
  const k = skipKey(linkType, etherType);
  c.skipped.set(k, (c.skipped.get(k) ?? 0) + 1);
}

/**
 * Builds the per-packet decoder: link layer → IPv4/IPv6/ARP → VRRP, gratuitous ARP, unsolicited NA. The common case
 * (a packet that is none of these) costs a few byte compares and allocates nothing.
 */
export function createPacketDecoder(file: string, emit: (r: CaptureRecord) => void, counters: DecodeCounters): (v: PacketView) => void {
  const link: LinkResult = newLinkResult();
  let lastIface: PacketView['iface'] | undefined;
  let lastInfo: CaptureRecordBase['interface'] | undefined;
  return (v) => {
    const b = v.data;
    // Untagged Ethernet IPv4 that is neither VRRP nor AH is nearly every packet of a gateway capture: rejected here
    // by three byte compares, before the link layer is walked (walk of 697 MB / 1M packets: 91-133 ms, 106-135 without).
    const s = v.start;
    if (v.iface.linkType === 1 && v.end - s >= 34 && b[s + 12] === 0x08 && b[s + 13] === 0x00) {
      const proto = b[s + 23];
      if (proto !== IPPROTO.VRRP && proto !== IPPROTO.AH) return;
    }
    if (!locateNetwork(v.iface.linkType, b, v.start, v.end, v.epbDirection, link)) {
      counters.undecodable++;
      counters.linkTypes.add(v.iface.linkType);
      skip(counters, v.iface.linkType, -1);
      return;
    }
    const net = link.netOffset;
    if (link.etherType === ETHERTYPE.IPV4) {
      if (net + 20 > v.end) return;
      const proto = b[net + 9];
      if (proto !== IPPROTO.VRRP && proto !== IPPROTO.AH) return;
      const ip = decodeIpv4(b, net, v.end);
      if (ip) vrrpRecord(v, ip, link);
    } else if (link.etherType === ETHERTYPE.IPV6) {
      if (net + 40 > v.end) return;
      const ip = decodeIpv6(b, net, v.end);
      if (!ip) return;
      if (ip.protocol === IPPROTO.VRRP) vrrpRecord(v, ip, link);
      else if (ip.protocol === IPPROTO.ICMPV6 && ip.payloadStart < v.end && b[ip.payloadStart] === 136) {
        const na = decodeUnsolicitedNa(b, ip);
        if (na) emit(Object.assign(withIp(base(v, link, 'unsolicited-na'), ip), na) as CaptureRecord);
      }
    } else if (link.etherType === ETHERTYPE.ARP) {
      // (checked first, then decoded into the record: a storm's GARPs are most of its packets)
      if (isGratuitousArp(b, net, v.end)) emit(garpFields(base(v, link, 'garp'), b, net) as CaptureRecord);
    } else {
      skip(counters, v.iface.linkType, link.etherType);
    }
  };

  function vrrpRecord(v: PacketView, ip: IpHeader, l: LinkResult): void {
    if (ip.protocol !== IPPROTO.VRRP) return;
    if (ip.fragment && ip.fragment.offset !== 0) return; // a later fragment holds no VRRP header
    if (isCarp(v.data, ip)) {
      // CARP shares IP protocol 112 with VRRP: a record of its own kind, so it never enters a VRRP election
      const c = decodeCarp(v.data, ip, withIp(base(v, l, 'carp'), ip)) as CaptureRecord & { ttlOk: boolean };
      c.ttlOk = ip.ttl === 255;
      emit(c);
      return;
    }
    // decoded into the record, field by field: storms of 10,000s of adverts made spreads a hot spot, and Object.assign
    // of the header's fields made every advert record a dictionary-mode object (800 bytes, slow to read)
    const r = decodeVrrp(v.data, ip, withIp(base(v, l, 'vrrp'), ip)) as (CaptureRecord & { ttlOk: boolean }) | null;
    if (!r) return;
    r.ttlOk = ip.ttl === 255;
    emit(r);
  }

  /** the record's interface: one object per interface met, shared by its packets (one per packet was held garbage) */
  function interfaceOf(iface: PacketView['iface']): CaptureRecordBase['interface'] {
    if (iface !== lastIface) {
      lastInfo = { id: iface.id, section: iface.section, linkType: iface.linkType };
      if (iface.name !== undefined) lastInfo.name = iface.name;
      lastIface = iface;
    }
    return lastInfo!;
  }

  function base(v: PacketView, l: LinkResult, kind: CaptureRecord['kind']): CaptureRecordBase & { kind: CaptureRecord['kind'] } {
    const r: CaptureRecordBase & { kind: CaptureRecord['kind'] } = {
      kind,
      file,
      frame: v.frame,
      offset: v.offset,
      time: timeNs(v),
      precision: timeDigits(v),
      interface: interfaceOf(v.iface),
      caplen: v.caplen,
      origlen: v.origlen,
    };
    if (timeInvalid(v)) r.timeInvalid = true;
    if (v.timeOutlier) r.timeOutlier = true;
    if (l.direction) r.direction = l.direction;
    if (l.srcMacAt >= 0) r.srcMac = macAt(v.data, l.srcMacAt, l.srcMacLen);
    if (l.vlanCount) r.vlans = l.vlans.slice(0, l.vlanCount);
    if (l.ifIndex >= 0) r.ifIndex = l.ifIndex;
    if (l.isid >= 0) r.isid = l.isid;
    return r;
  }
}

function withIp<R extends object>(r: R, ip: IpHeader): R & IpInfo {
  const out = r as R & IpInfo;
  out.ipVersion = ip.ipVersion;
  out.src = ip.src;
  out.dst = ip.dst;
  out.ttl = ip.ttl;
  if (ip.ipChecksumOk !== undefined) out.ipChecksumOk = ip.ipChecksumOk;
  if (ip.fragment) out.fragment = ip.fragment;
  if (ip.ah) out.ah = true;
  return out;
}
