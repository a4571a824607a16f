import type { Basis, Evidence, TranslationFinding } from '../../model/report.js';
import type { FindingInputs } from '../findings.js';
import { onLink } from '../same-sender.js';
import { electionEffect } from './election.js';
import { dedupe } from './util.js';

/**
 * A peer's keepalived naming an advert source that is not on the VRRP link (no /24 or /64 shared with the virtual
 * addresses and the host's own addresses its log shows) — a router's adverts arriving with a rewritten source.
 * Suggestive alone; strong when a ruleset or conntrack entry also makes it a translated address.
 */
export function peerLogTranslations(x: FindingInputs, seen: TranslationFinding[]): TranslationFinding[] {
  const out: TranslationFinding[] = [];
  for (const n of x.logs.namedSources.values()) {
    const link = x.logs.linkAddresses.get(n.host) ?? new Set<string>();
    const r = x.topo.routers.get(n.host);
    const neighbours = [...link, ...(r ? [...r.addresses.keys()] : []), ...(r?.instances.flatMap((i) => i.vips.map((v) => v.split("/")[0])) ?? [])];
    const known = x.topo.translated.get(n.address);
    if (!known && (!neighbours.length || onLink(n.address, neighbours))) continue;
    const ev: Evidence = { ...n.first, role: { kind: 'names-source', host: n.host, address: n.address, lines: n.lines } };
    const hit = seen.find((f) => f.translatedSource === n.address) ?? out.find((f) => f.translatedSource === n.address);
    if (hit) {
      hit.evidence.push(ev);
      if (hit.basis && !hit.basis.includes('peer-log')) hit.basis.push('peer-log');
      if (hit.hosts && !hit.hosts.includes(n.host)) hit.hosts.push(n.host);
      continue;
    }
    const original = known?.original;
    const router = known?.router ?? (original ? x.topo.ownerOf(original) : undefined) ?? x.topo.ownerOf(n.address) ?? null;
    const vrid = n.instance !== null ? x.topo.routers.get(n.host)?.instances.find((i) => i.name === n.instance)?.vrid ?? null : null;
    const firstSeen = n.first.at!;
    const lastSeen = n.last.at!;
    const effect = electionEffect(x, router, firstSeen, lastSeen);
    const basis: Basis[] = known ? ['peer-log', known.learned.how === 'conntrack' ? 'conntrack-entry' : 'snat-rule'] : ['peer-log'];
    const f: TranslationFinding = {
      id: '', kind: 'vrrp-source-translated', severity: effect.elected || n.dropped ? 'critical' : 'warning', vrid, router,
      ...(original ? { originalSource: original } : {}), translatedSource: n.address, firstSeen, lastSeen, revertedAt: null, hosts: [n.host],
      transitions: effect.transitions, confidence: known ? 'strong' : 'suggestive', basis,
      evidence: dedupe([ev, ...(n.lines > 1 ? [{ ...n.last, role: { kind: 'last-such-line' } } satisfies Evidence] : []), ...(known ? [known.learned.evidence] : [])]),
      election: effect.elected ? 'changed' : 'not-seen',
      sighting: { by: 'peer-log', host: n.host, dropped: Boolean(n.dropped) },
    };
    out.push(f);
  }
  return out;
}
