import { parseIp } from '../../model/address.js';
import type { Basis, Confidence, ConntrackCause, Evidence, SameRouterFact } from '../../model/report.js';
import { v3ValidForSource } from '../../sources/capture/vrrp.js';
import type { FindingInputs } from '../findings.js';
import type { SameSender } from '../same-sender.js';
import { isVirtualMac, type Resolved } from '../topology.js';
import type { SenderGroup } from '../wire.js';
import { dedupe, SEC } from './util.js';

/** How sure a translation seen on the wire is, and on what it rests. */
export function confidenceOf(groups: { g: SenderGroup; how?: Resolved['how']; same?: SameSender }[], v3Proof: boolean, cause: ConntrackCause | null): { confidence: Confidence; basis: Basis[] } {
  const basis = new Set<Basis>();
  const level = new Set<Confidence>();
  const add = (b: Basis, c: Confidence) => {
    basis.add(b);
    level.add(c);
  };
  for (const { g, how, same } of groups) {
    if (how === 'conntrack') add('capture-known-translation', 'proven');
    if (how === 'firewall') {
      add('capture-known-translation', 'strong');
      add('snat-rule', 'strong');
    }
    if (how === 'checksum') add('capture-v3-checksum', 'proven');
    if (how === 'mac') add('capture-same-sender', 'strong');
    for (const b of same?.basis ?? []) add(b, same!.confidence);
    if (g.sentByUs) add('capture-sent-by-us', 'proven');
  }
  if (v3Proof) add('capture-v3-checksum', 'proven');
  if (cause) add('conntrack-entry', 'proven');
  return { confidence: level.has('proven') ? 'proven' : level.has('strong') ? 'strong' : 'suggestive', basis: [...basis] };
}

/** The evidence that a translated advert is the same router with a rewritten source, not a new master. */
export function sameRouterFacts(x: FindingInputs, groups: SenderGroup[], original: string, router: string | null, firstSeen: bigint): { facts: SameRouterFact[]; evidence: Evidence[]; v3Proof: boolean } {
  const facts: SameRouterFact[] = [];
  let v3Proof = false;
  const evidence: Evidence[] = [];
  const r = router ? x.topo.routers.get(router) : undefined;
  for (const g of groups) {
    const own = x.wire.group(g.file, g.vrid, original);
    const macs = [...g.macs].filter((m) => !isVirtualMac(m));
    const known = macs.filter((m) => own?.macs.has(m) || r?.macs.has(m));
    // on the router's own capture "sent by us" says it better; on a peer's capture the MAC is the independent proof
    if (known.length && g.host !== router) {
      facts.push({ kind: 'mac', macs: known, of: router ?? original, file: g.file });
      const l = r?.macs.get(known[0]);
      if (l) evidence.push({ ...l.evidence, role: { kind: 'router-mac', router: router!, mac: known[0] } });
    }
    if (g.sentByUs) facts.push({ kind: 'sent-by-us', host: g.host, file: g.file, adverts: g.sentByUs });
    if (own) {
      const eq = (a: Set<string | number>, b: Set<string | number>) => a.size > 0 && [...a].every((v) => b.has(v));
      // priority 0 is the advert a stopping master sends, not a priority the router runs at
      const running = (s: Set<number>) => new Set([...s].filter((p) => p !== 0));
      const pr = running(g.priorities);
      if (eq(pr, running(own.priorities))) facts.push({ kind: 'priority', priorities: [...pr], original, file: g.file, stopped: g.priorities.has(0) });
      if (eq(g.intervals, own.intervals)) facts.push({ kind: 'interval', intervals: [...g.intervals] });
      if (eq(g.vips, own.vips)) facts.push({ kind: 'vips', vips: [...g.vips] });
      if (g.auth.size && eq(g.auth, own.auth)) facts.push({ kind: 'auth' });
    } else if (r) {
      const inst = r.instances.find((i) => i.vrid === g.vrid);
      if (inst?.priority !== undefined && g.priorities.has(inst.priority)) facts.push({ kind: 'configured-priority', priority: inst.priority, router, file: inst.file, line: inst.line });
    }
    if (g.v3Partial !== undefined) {
      const b = parseIp(original);
      if (b && v3ValidForSource(g.v3Partial, b)) {
        v3Proof = true;
        facts.push({ kind: 'v3-checksum', src: g.src, original });
      }
    }
  }
  const vips = new Set(groups.flatMap((g) => [...g.vips].flatMap((v) => v.split(','))));
  const garps = x.wire.garps.filter((a) => vips.has(a.address) && a.at >= firstSeen && a.at <= firstSeen + 3n * SEC);
  const ownMacs = new Set([...groups.flatMap((g) => [...g.macs]), ...(r ? [...r.macs.keys()] : [])]);
  const foreign = garps.filter((a) => a.mac && !ownMacs.has(a.mac));
  // with use_vmac every master announces the same virtual MAC: a GARP cannot tell one master from another
  const virtual = garps.some((a) => a.mac && isVirtualMac(a.mac)) || [...ownMacs].some((m) => isVirtualMac(m));
  if (!foreign.length && !virtual) facts.push({ kind: 'no-foreign-garp' });
  for (const a of foreign.slice(0, 3)) evidence.push({ file: a.file, locator: a.locator, at: a.at, text: `gratuitous ARP for ${a.address} from ${a.mac}`, role: { kind: 'foreign-garp', address: a.address, mac: a.mac! } });
  if (router) {
    const m = x.logs.masters.find((mi) => mi.host === router && mi.start <= firstSeen + SEC && (mi.end === null || mi.end > firstSeen));
    if (m) {
      facts.push({ kind: 'master', router, since: m.start });
      evidence.push({ ...m.startEvidence });
    }
  }
  // one fact once, however many captures showed it
  const seen = new Set<string>();
  const once = facts.filter((f) => !seen.has(factKey(f)) && Boolean(seen.add(factKey(f))));
  return { facts: once, evidence: dedupe(evidence), v3Proof };
}

function factKey(f: SameRouterFact): string {
  return JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
