import { runEvidence, transitionEvidence } from './cite.js';
import type { Contradiction } from '../model/story.js';
import type { ContradictionFinding, ExhaustionFinding, Finding, FirewallDropFinding, TimelineEntry, Transition } from '../model/report.js';
import type { Rejection } from './states.js';
import type { Topology } from './topology.js';

const SEC = 1_000_000_000n;

export interface DeafInputs {
  transitions: Transition[];
  rejections: Rejection[];
  /** the finished timeline: advert runs per capture, sender and priority */
  timeline: readonly TimelineEntry[];
  topo: Topology;
  /** conntrack exhaustion findings: a full table on the host is the likeliest reason */
  exhaustion: ExhaustionFinding[];
  /** firewall-drop findings: a saved rule of the host that drops the adverts */
  firewall?: FirewallDropFinding[];
}

/** contradiction → the exhaustion finding its hypothesis cites (linked by id once ids are given) */
export const explainedBy = new WeakMap<Finding, ExhaustionFinding | FirewallDropFinding>();

/**
 * A host takes MASTER on an advert timeout while its own capture shows a higher-priority master's adverts arriving
 * through that moment: the adverts reached the wire at the host and were lost after the capture point (filter INPUT,
 * conntrack) — a contradiction to state, with those causes as hypotheses. Not when its keepalived logged why it dropped
 * them (checksum, AH, unicast peer: that is explained), nor on a tie or a preemption.
 */
export function deafTakeovers(x: DeafInputs): ContradictionFinding[] {
  const out: ContradictionFinding[] = [];
  for (const tr of x.transitions) {
    if (tr.to !== 'MASTER' || !tr.host || tr.from === null) continue;
    const host = tr.host;
    const router = x.topo.routers.get(host);
    const own = new Set(router?.addresses.keys() ?? []);
    const prio = router?.instances.find((i) => i.name === tr.instance)?.priority;
    if (prio === undefined) continue;
    if (x.rejections.some((r) => r.host === host && r.start <= tr.at && r.end >= tr.at - 5n * SEC)) continue;
    // an advert run on this host's capture, from another sender above our priority, covering the second before
    const run = x.timeline.find((e) => e.source === 'capture' && e.host === host && e.src !== undefined && !own.has(e.src) &&
      e.priority !== undefined && e.priority > prio && e.at <= tr.at - SEC && (e.until ?? e.at) >= tr.at);
    if (!run) continue;
    const took = transitionEvidence({ ...tr, to: 'MASTER' }, host);
    const seen = runEvidence(run);
    const full = x.exhaustion.find((f) => f.exhaustion.host === host && f.exhaustion.start <= tr.at && f.exhaustion.end + 10n * SEC >= tr.at);
    const hypotheses: Contradiction['hypotheses'] = [];
    if (full) hypotheses.push({ kind: 'dropped-conntrack-table-full', evidence: full.evidence.slice(0, 1) });
    const rule = x.firewall?.find((f) => f.firewallDrop?.host === host && f.firewallDrop.tookMasterAt === tr.at);
    if (rule) hypotheses.push({ kind: 'dropped-by-firewall-rule', evidence: rule.evidence.slice(0, 1), ...(rule.firewallDrop.rule.policy ? { policy: true as const } : {}) });
    hypotheses.push({ kind: 'dropped-after-capture-point', evidence: [] });
    const contradiction: Contradiction = { claim: 'timeout-while-adverts-captured', host, sides: [took, seen], hypotheses };
    const f: ContradictionFinding = {
      id: '', kind: 'contradiction', severity: 'warning', vrid: run.vrid ?? null, router: host,
      start: tr.at, end: null, hosts: [host], contradiction, evidence: [took, seen, ...hypotheses.flatMap((h) => h.evidence)],
    };
    if (full ?? rule) explainedBy.set(f, (full ?? rule)!);
    out.push(f);
  }
  return out;
}

/** Once ids are given: each such contradiction names the exhaustion finding behind its first hypothesis. */
export function linkDeaf(findings: Finding[]): void {
  for (const f of findings) {
    const by = explainedBy.get(f);
    if (by && f.kind === 'contradiction') f.about = by.id;
  }
}
