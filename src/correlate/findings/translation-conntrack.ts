import type { Basis, CarpFinding, Evidence, TranslationFinding } from '../../model/report.js';
import { PROTO } from '../../sources/conntrack/entry.js';
import type { FindingInputs } from '../findings.js';
import { remedyFor } from '../remedy.js';
import { conntrackCause } from './conntrack-cause.js';
import { electionEffect } from './election.js';
import { dedupe, max, min } from './util.js';

/**
 * A conntrack entry for VRRP or AH whose reply tuple names an address that is neither endpoint proves the translation
 * on its own: every advert of that flow leaves with that source. Made when no capture showed those adverts.
 */
export function conntrackTranslations(x: FindingInputs, seen: (TranslationFinding | CarpFinding)[]): TranslationFinding[] {
  const pairs = new Map<string, FindingInputs['flows']>();
  for (const fl of x.flows) {
    const T = fl.nat.translatedSource;
    if ((fl.protoNum !== PROTO.VRRP && fl.protoNum !== PROTO.AH) || !T || fl.nat.kind === 'dnat' || fl.nat.kind === 'none') continue;
    if (seen.some((f) => f.originalSource === fl.orig.src && f.translatedSource === T)) continue;
    const k = `${fl.orig.src}|${T}`;
    pairs.set(k, [...(pairs.get(k) ?? []), fl]);
  }
  const out: TranslationFinding[] = [];
  for (const lives of pairs.values()) {
    const l0 = lives[0];
    const original = l0.orig.src;
    const T = l0.nat.translatedSource!;
    const router = lives.find((l) => l.host)?.host ?? x.topo.ownerOf(original) ?? null;
    const times = lives.flatMap((l) => [l.born?.at, l.first.at, l.last.at, l.lastRefresh?.at]).filter((v): v is bigint => v !== undefined);
    const firstSeen = times.length ? times.reduce(min) : null;
    const lastSeen = times.length ? times.reduce(max) : null;
    const cause = conntrackCause(x, original, T, router, firstSeen ?? 0n, lastSeen ?? 0n)!;
    const r = router ? x.topo.routers.get(router) : undefined;
    const vrids = [...(r?.vrids ?? [])];
    const vrid = vrids.length === 1 ? vrids[0] : null;
    const inst = r?.instances.find((i) => i.vrid === vrid);
    const effect = firstSeen !== null ? electionEffect(x, router, firstSeen, lastSeen!) : { transitions: [], elected: false, seenWrong: false };
    const latest = router ? x.rules.filter((rs) => rs.host === router).at(-1) : undefined;
    const basis: Basis[] = cause.rule?.decision === 'translated' ? ['conntrack-entry', 'snat-rule'] : ['conntrack-entry'];
    const f: TranslationFinding = {
      id: '', kind: 'vrrp-source-translated', severity: effect.elected ? 'critical' : 'warning', vrid, router,
      originalSource: original, translatedSource: T, ...(firstSeen !== null ? { firstSeen, lastSeen: lastSeen! } : {}), revertedAt: cause.destroyed?.at ?? null,
      conntrack: cause, transitions: effect.transitions, confidence: 'proven', basis,
      election: effect.elected ? 'changed' : effect.seenWrong ? 'by-priority' : 'not-seen',
      evidence: dedupe(lives.map((l) => {
        const c = l.born ?? l.first;
        return { file: c.file, locator: `line ${c.line}`, at: l.born?.at ?? l.first.at ?? null, text: l.text ?? '', role: { kind: 'conntrack-entry' } } satisfies Evidence;
      })),
      remedy: remedyFor({
        router: router ?? original, original, translated: T, dst: l0.orig.dst, interface: inst?.interface,
        protocols: [...new Set(lives.map((l) => l.protoNum))], latest: latest ? { file: latest.file, rules: latest.rules } : undefined,
      }),
      sighting: { by: 'conntrack', protocol: l0.protoNum, dst: l0.orig.dst },
    };
    out.push(f);
  }
  return out;
}
