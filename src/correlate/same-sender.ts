import { parseIp } from '../model/address.js';
import type { Basis, Confidence } from '../model/report.js';
import { v3ValidForSource } from '../sources/capture/vrrp.js';
import { isVirtualMac } from './topology.js';
import type { SenderGroup, WireDetector } from './wire.js';

/**
 * A sender group the capture alone shows to be another group's adverts under a rewritten source: what the topology
 * (configs, rulesets, conntrack) could not say, because those inputs were not given.
 */
export interface SameSender {
  /** the real source */
  original: string;
  /** its adverts in the same capture, when it was seen under its real source too */
  originalGroup?: SenderGroup;
  confidence: Confidence;
  basis: Basis[];
  /** which side of the pair is the real one, and why */
  realBy: 'router-address' | 'v3-checksum' | 'on-link' | 'reverted-to';
  macMatch: boolean;
}

/**
 * An address is on the VRRP link when it shares a /24 (IPv4) or /64 (IPv6) with the virtual addresses or with another
 * router's address; link-local IPv6 always is. A SNAT target is the uplink's address, so it normally is not.
 */
export function onLink(addr: string, neighbours: Iterable<string>): boolean {
  if (/^fe80:/i.test(addr)) return true;
  const a = parseIp(addr);
  if (!a) return false;
  const bytes = a.length === 4 ? 3 : 8;
  for (const n of neighbours) {
    const b = parseIp(n);
    if (b && b.length === a.length && n !== addr && a.subarray(0, bytes).every((x, i) => x === b[i])) return true;
  }
  return false;
}

const overlaps = <T>(a: Set<T>, b: Set<T>) => a.size === 0 || b.size === 0 || [...a].some((v) => b.has(v));

/**
 * Per capture and vrid: groups that are one sender under two addresses — the same real MAC (where the link has one),
 * a shared priority, the same virtual addresses, auth and interval, never advertising at once (that would be two
 * routers, or a split brain) — and which of the two is the real source: a router's known address, the address a
 * failing VRRPv3 checksum holds for, the one on the VRRP link, else the one it went back to.
 */
export function sameSenders(wire: WireDetector): Map<SenderGroup, SameSender> {
  const out = new Map<SenderGroup, SameSender>();
  const lanes = new Map<string, SenderGroup[]>();
  for (const g of wire.groups()) lanes.set(`${g.file}|${g.vrid}`, [...(lanes.get(`${g.file}|${g.vrid}`) ?? []), g]);
  const identity = (g: SenderGroup) => g.resolved.router ?? g.resolved.original;
  const known = (g: SenderGroup) => !g.resolved.translated && g.resolved.router !== undefined;
  for (const groups of lanes.values()) {
    const vips = new Set(groups.flatMap((g) => [...g.vips].flatMap((v) => v.split(',')).filter(Boolean)));
    for (const a of groups) {
      for (const b of groups) {
        if (a === b || b.resolved.translated || known(b) || out.has(b)) continue;
        const prioA = new Set([...a.priorities].filter((p) => p > 0));
        const prioB = new Set([...b.priorities].filter((p) => p > 0));
        if (!prioA.size || !prioB.size || ![...prioA].some((p) => prioB.has(p))) continue;
        if (!overlaps(a.vips, b.vips) || !overlaps(a.intervals, b.intervals) || !overlaps(a.auth, b.auth)) continue;
        const macsA = [...a.macs].filter((m) => !isVirtualMac(m));
        const macsB = new Set([...b.macs].filter((m) => !isVirtualMac(m)));
        if (macsA.length && macsB.size && !macsA.some((m) => macsB.has(m))) continue;
        const macMatch = macsA.some((m) => macsB.has(m));
        // without a real MAC to say so, two alike senders advertising at once are two routers (or a split brain)
        const split = wire.splits.some((s) => s.file === a.file && s.vrid === a.vrid && s.senders.has(identity(a)) && s.senders.has(identity(b)));
        if (!macMatch && split) continue;
        // which one is real: b is the rewritten one when a says so more firmly than b
        const checksum = b.v3Partial !== undefined && validFor(b.v3Partial, a.src, b.src);
        // the VRRP link is the virtual addresses' (other senders' sources may be translated too); when the evidence
        // does not show them (tcpdump text without -v), the other senders'
        const link = vips.size ? [...vips] : groups.filter((g) => g !== a && g !== b).map((g) => g.src);
        const linkA = onLink(a.src, link);
        const linkB = onLink(b.src, link);
        let realBy: SameSender['realBy'];
        if (checksum) realBy = 'v3-checksum';
        else if (known(a)) realBy = 'router-address';
        else if (linkA && !linkB) realBy = 'on-link';
        // nothing says which: the one it went back to (a translation ends when its conntrack entry does)
        else if (linkA === linkB && macMatch && a.last.at! > b.last.at!) realBy = 'reverted-to';
        else continue;
        const basis: Basis[] = checksum ? ['capture-v3-checksum', 'capture-same-sender'] : ['capture-same-sender'];
        const confidence: Confidence = checksum ? 'proven' : macMatch && realBy !== 'reverted-to' ? 'strong' : 'suggestive';
        out.set(b, { original: a.resolved.original, originalGroup: a, confidence, basis, realBy, macMatch });
      }
    }
  }
  // a failing VRRPv3 checksum that holds for an address seen anywhere on the wire (a source, or a unicast peer's
  // destination) is proof on its own
  const addresses = [...new Set(wire.groups().flatMap((g) => [g.src, g.dst]))];
  for (const b of wire.groups()) {
    if (out.has(b) || b.resolved.translated || known(b) || b.v3Partial === undefined) continue;
    const real = addresses.find((s) => s !== b.src && validFor(b.v3Partial!, s, b.src));
    if (real === undefined) continue;
    const originalGroup = wire.group(b.file, b.vrid, real);
    out.set(b, { original: real, ...(originalGroup ? { originalGroup } : {}), confidence: 'proven', basis: ['capture-v3-checksum'], realBy: 'v3-checksum', macMatch: false });
  }
  return out;
}

/** the checksum holds for `src` (an address of the same family as the one on the wire) */
function validFor(partial: number, src: string, onWire: string): boolean {
  const bytes = parseIp(src);
  return bytes !== null && bytes.length === parseIp(onWire)?.length && v3ValidForSource(partial, bytes);
}
