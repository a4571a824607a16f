import type { Evidence, TranslationFinding } from '../../model/report.js';
import { PROTO } from '../../sources/conntrack/entry.js';
import type { FindingInputs } from '../findings.js';
import { remedyFor } from '../remedy.js';
import { sameSenders } from '../same-sender.js';
import type { Resolved } from '../topology.js';
import type { SenderGroup } from '../wire.js';
import { conntrackCause } from './conntrack-cause.js';
import { electionEffect } from './election.js';
import { confidenceOf, sameRouterFacts } from './same-router.js';
import { dedupe, max, min, SEC } from './util.js';

/** 1 + 2 + 3 + 7: translated sources, their conntrack cause, the transitions after them, and the remedy. */
export function wireTranslations(x: FindingInputs): { findings: TranslationFinding[]; aliases: Map<string, string> } {
  // what the topology could not resolve, the capture alone may: one sender under two addresses
  const inferred = sameSenders(x.wire);
  const resolvedOf = (g: SenderGroup): Resolved => {
    const same = inferred.get(g);
    if (g.resolved.translated || !same) return g.resolved;
    return { router: same.originalGroup?.resolved.router ?? x.topo.ownerOf(same.original), original: same.original, translated: true };
  };
  const byKey = new Map<string, SenderGroup[]>();
  for (const g of x.wire.groups()) {
    const res = resolvedOf(g);
    if (!res.translated) continue;
    const k = `${g.vrid}|${res.original}|${g.src}`;
    byKey.set(k, [...(byKey.get(k) ?? []), g]);
  }
  const out: TranslationFinding[] = [];
  for (const groups of byKey.values()) {
    const g0 = groups[0];
    const res0 = resolvedOf(g0);
    const original = res0.original;
    const router = res0.router ?? x.topo.ownerOf(original) ?? null;
    const firstSeen = groups.map((g) => g.first.at!).reduce(min);
    const lastSeen = groups.map((g) => g.last.at!).reduce(max);
    const evidence: Evidence[] = [];
    let reverted: Evidence | null = null;
    for (const g of groups) {
      evidence.push({ ...g.first, role: { kind: 'first-translated-advert' } });
      if (g.count > 1) evidence.push({ ...g.last, role: { kind: 'last-translated-advert', adverts: g.count } });
      const rev = x.wire.group(g.file, g.vrid, original)?.firstAfter.get(g.src);
      if (rev && rev.at !== null && rev.at > g.last.at!) {
        evidence.push({ ...rev, role: { kind: 'source-reverted' } });
        if (!reverted || rev.at < reverted.at!) reverted = rev;
      }
    }
    // no revert to see when the router simply stopped advertising: it left MASTER, or keepalived stopped
    const left = reverted ? undefined : x.logs.transitions.find((tr) => tr.host === router && tr.from === 'MASTER' && tr.at >= lastSeen && tr.at <= lastSeen + 5n * SEC);
    const stop = reverted || left ? undefined : x.logs.stops.find((st) => st.host === router && st.at >= lastSeen && st.at <= lastSeen + 5n * SEC);
    const quiet = left ? { kind: 'left-master' as const, at: left.at, file: left.file, line: left.line } : stop ? { kind: 'stopped' as const, at: stop.at } : undefined;
    const same = sameRouterFacts(x, groups, original, router, firstSeen);
    const cause = conntrackCause(x, original, g0.src, router, firstSeen, lastSeen);
    const end = reverted?.at ?? lastSeen;
    const { transitions, elected, seenWrong } = electionEffect(x, router, firstSeen, end);
    const inst = router ? x.topo.routers.get(router)?.instances.find((i) => i.vrid === g0.vrid) : undefined;
    const latest = router ? x.rules.filter((r) => r.host === router).at(-1) : undefined;
    // the keys in the order the JSON contract has always given them (its summary is worded in after `router`)
    const f: TranslationFinding = {
      id: '', kind: 'vrrp-source-translated', severity: elected ? 'critical' : 'warning', vrid: g0.vrid, router,
      originalSource: original, translatedSource: g0.src, firstSeen, lastSeen, revertedAt: reverted?.at ?? null,
      adverts: Math.max(...groups.map((g) => g.count)), sameRouter: same.facts, conntrack: cause, transitions, evidence: dedupe([...evidence, ...same.evidence]),
      election: elected ? 'changed' : seenWrong ? 'by-priority' : 'not-seen',
      ...(g0.resolved.how === 'checksum' ? { recoveredSource: original } : {}),
      ...confidenceOf(groups.map((g) => ({ g, how: g.resolved.translated ? g.resolved.how : undefined, same: inferred.get(g) })), same.v3Proof, cause),
      remedy: remedyFor({
        router: router ?? original, original, translated: g0.src, dst: g0.dst, interface: inst?.interface,
        protocols: inst?.auth?.type?.toUpperCase() === 'AH' ? [PROTO.AH] : [PROTO.VRRP],
        latest: latest ? { file: latest.file, rules: latest.rules } : undefined,
      }),
      sighting: { by: 'wire', ...(quiet ? { quiet } : {}) },
    };
    out.push(f);
  }
  // a sender seen under a rewritten source is the same sender, not a new master: "lane|address" → its real identity
  const aliases = new Map<string, string>();
  for (const [g, same] of inferred) aliases.set(`${g.file}|${g.vrid}|${g.src}`, same.originalGroup?.resolved.router ?? x.topo.ownerOf(same.original) ?? same.original);
  return { findings: out, aliases };
}
