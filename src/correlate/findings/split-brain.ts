import type { Evidence, SplitBrainFinding, SplitWhy, TranslationFinding } from '../../model/report.js';
import { dropOf } from '../explain.js';
import type { FindingInputs } from '../findings.js';
import type { MasterInterval } from '../states.js';
import { dedupe, max, min, SEC } from './util.js';

/**
 * 4: two masters at once, from the wire (two senders for three intervals) and from the logs (two hosts MASTER). Every
 * translation of the vrid that overlaps a split caused it: `causes` maps each split to them (first: the one the words
 * follow), linked by id once ids are given.
 */
export function splitBrains(x: FindingInputs, translated: TranslationFinding[], causes: Map<SplitBrainFinding, TranslationFinding[]>, aliases: Map<string, string>): SplitBrainFinding[] {
  type Cluster = { vrid: number | null; start: bigint; end: bigint | null; hosts: Set<string>; evidence: Evidence[]; seenBy?: SplitBrainFinding['seenBy'] };
  const clusters: Cluster[] = [];
  const add = (c: Cluster) => {
    const hit = clusters.find((k) => k.vrid === c.vrid && k.start <= (c.end ?? c.start + 3600n * SEC) + SEC && c.start <= (k.end ?? k.start + 3600n * SEC) + SEC);
    if (!hit) return void clusters.push(c);
    hit.start = min(hit.start, c.start);
    hit.end = hit.end === null || c.end === null ? null : max(hit.end, c.end);
    for (const h of c.hosts) hit.hosts.add(h);
    hit.evidence.push(...c.evidence);
  };
  for (const s of x.wire.splits) {
    // a sender seen under its translated address is the same router, named as the master-change findings name it
    const hosts = new Set([...s.senders].map((src) => aliases.get(`${s.first.file}|${s.vrid}|${src}`) ?? src));
    // one router under its real and its translated address is the translation finding, not two masters
    if (hosts.size < 2) continue;
    add({ vrid: s.vrid, start: s.start, end: s.end, hosts, evidence: [{ ...s.first, role: { kind: 'two-senders', vrid: s.vrid, senders: [...s.senders] } }] });
  }
  // by start (the detector's order already: a stable sort keeps it), so that once b starts after a ended no later one
  // overlaps a — a flapping pair's 10,000 spans were compared pair by pair
  const ms = [...x.logs.masters].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 0; i < ms.length; i++) {
    for (let j = i + 1; j < ms.length; j++) {
      const a = ms[i];
      const b = ms[j];
      if (a.end !== null && b.start > a.end) break;
      if (a.host === b.host || !sameGroup(a, b)) continue;
      const start = max(a.start, b.start);
      const end = a.end === null ? b.end : b.end === null ? a.end : min(a.end, b.end);
      // a preemption overlaps for a moment; three seconds of two MASTERs is a split brain
      if (end !== null && end - start < 3n * SEC) continue;
      add({ vrid: a.vrid ?? b.vrid, start, end, hosts: new Set([a.host, b.host]), evidence: [a.startEvidence, b.startEvidence] });
    }
  }
  clusters.push(...droppedWhileMaster(x, clusters));
  return clusters.map((c) => {
    // every translation of the vrid that overlaps the split caused it (each side may drop the other's adverts); the
    // first is the one the cause's words follow
    const all = translated.filter((f) => f.vrid === c.vrid && f.firstSeen! <= (c.end ?? c.start) && (f.revertedAt ?? f.lastSeen!) >= c.start);
    const cause = all[0];
    const f: SplitBrainFinding = {
      id: '', kind: 'split-brain', severity: 'critical', vrid: c.vrid, router: null, start: c.start, end: c.end, hosts: [...c.hosts].sort(),
      evidence: dedupe(c.evidence), ...(c.seenBy ? { seenBy: c.seenBy } : {}),
    };
    if (cause) {
      // a translation that split the brain changed the election: critical
      for (const x of all) x.severity = 'critical';
      causes.set(f, all);
      const sender = cause.router ?? cause.originalSource ?? null;
      // the other master's keepalived saying why it did not hear the sender, during the split
      const deaf = x.logs.rejections.find((r) => c.hosts.has(r.host) && r.host !== (sender ?? `the sender of ${cause.translatedSource}`) && r.start <= (c.end ?? r.start) && r.end >= c.start);
      // configured priorities, when the configs are in the evidence: the tie-break story holds only for equal ones
      const prio = [...c.hosts].map((h) => x.topo.routers.get(h)?.instances.find((i) => i.vrid === c.vrid)?.priority);
      const unequal = prio.every((p) => p !== undefined) && new Set(prio).size > 1;
      const why: SplitWhy = deaf
        ? { kind: 'dropped', host: deaf.host, by: deaf.kind, ...(deaf.peer !== undefined ? { peer: deaf.peer } : {}), lines: deaf.lines, start: deaf.start, end: deaf.end, file: deaf.first.file, line: deaf.firstLine }
        : cause.transitions.some((tr) => dropOf(tr.reason)?.by === 'checksum') ? { kind: 'checksum-transitions' }
          : unequal ? { kind: 'unequal-priorities', priorities: prio } : { kind: 'tie-break' };
      f.cause = { sender, translated: cause.translatedSource, why };
      if (deaf) f.evidence = dedupe([...f.evidence, deaf.first]);
    }
    return f;
  });
}

function sameGroup(a: MasterInterval, b: MasterInterval): boolean {
  return a.vrid !== null && b.vrid !== null ? a.vrid === b.vrid : a.instance === b.instance;
}

/**
 * A split brain one host's logs prove alone: it was MASTER while its keepalived kept dropping another router's adverts
 * (invalid VRRPv3 checksum, failed AH, not a unicast peer) for three seconds or more — only a master advertises. Told
 * only where no split brain was found otherwise for that time (the wire and two hosts' logs say more).
 */
function droppedWhileMaster(x: FindingInputs, found: readonly { vrid: number | null; start: bigint; end: bigint | null }[]) {
  const out: { vrid: number | null; start: bigint; end: bigint | null; hosts: Set<string>; evidence: Evidence[]; seenBy: NonNullable<SplitBrainFinding['seenBy']> }[] = [];
  for (const m of x.logs.masters) {
    for (const r of x.logs.rejections) {
      if (r.host !== m.host) continue;
      const start = max(m.start, r.start);
      const end = m.end === null ? r.end : min(m.end, r.end);
      if (end - start < 3n * SEC) continue;
      if ([...found, ...out].some((k) => (k.vrid === null || m.vrid === null || k.vrid === m.vrid) && k.start <= end + SEC && start <= (k.end ?? end) + SEC)) continue;
      const peer = r.peer !== undefined ? x.topo.ownerOf(r.peer) ?? r.peer : undefined;
      out.push({
        vrid: m.vrid, start, end, hosts: new Set(peer ? [m.host, peer] : [m.host]), evidence: [m.startEvidence, r.first],
        seenBy: { by: 'dropped-adverts', host: m.host, drop: r.kind, ...(r.peer !== undefined ? { peer: r.peer } : {}), lines: r.lines, file: r.first.file, line: r.firstLine },
      });
    }
  }
  return out;
}
