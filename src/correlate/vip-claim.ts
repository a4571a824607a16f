import type { Contradiction, VipClaim } from '../model/story.js';
import type { ContradictionFinding, Evidence, Finding, TimelineEntry, Transition } from '../model/report.js';
import type { Topology } from './topology.js';
import { isVirtualMac } from './topology.js';
import type { SenderGroup } from './wire.js';

const SEC = 1_000_000_000n;
/** an announcement this close to the host's own entry into or exit from MASTER is the handover itself (1 s logs) */
const HANDOVER = SEC;

export interface VipClaimInputs {
  transitions: Transition[];
  stops: { host: string; at: bigint }[];
  /** the finished timeline: gratuitous ARP / unsolicited NA runs per capture, address and MAC */
  timeline: readonly TimelineEntry[];
  topo: Topology;
  /** the VRRP senders per capture (whose MAC sent which source) */
  senders: readonly SenderGroup[];
  /** every other finding, built: a split brain already found says this and more */
  built: readonly Finding[];
}

interface Band {
  host: string;
  instance: string | null;
  since: bigint;
  until: bigint | null;
  entered: Transition;
}

/**
 * A host's keepalived says it is MASTER, and its own capture shows another station announcing its virtual address
 * (a gratuitous ARP or unsolicited NA at a MAC not the host's) well inside that time: two stations claim the address.
 * Stated as a contradiction, both sides cited, with its likely causes as hypotheses — a second master whose adverts
 * never reached this host (the split brain one host's evidence can show), or an address conflict. Not with use_vmac
 * (every master announces the same virtual MAC), not when a split brain was already found in that MASTER span.
 */
export function vipClaims(x: VipClaimInputs): ContradictionFinding[] {
  const out: ContradictionFinding[] = [];
  for (const band of masterBands(x.transitions, x.stops)) {
    const router = x.topo.routers.get(band.host);
    const own = new Set(router?.macs.keys() ?? []);
    if (!own.size) continue;
    const inst = router?.instances.find((i) => i.name === band.instance);
    const vips = new Set((inst ? inst.vips : router?.instances.flatMap((i) => i.vips) ?? []).map((v) => v.replace(/\/\d+$/, '')));
    const claims = x.timeline.filter((e) => e.source === 'capture' && e.host === band.host && e.address !== undefined && e.mac !== undefined &&
      vips.has(e.address) && !own.has(e.mac) && !isVirtualMac(e.mac) &&
      e.at > band.since + HANDOVER && (band.until === null || e.at < band.until - HANDOVER));
    if (!claims.length) continue;
    const first = claims[0];
    const last = claims.at(-1)!;
    const vrid = inst?.vrid ?? null;
    // a split brain found in the same MASTER span tells this and more (its start may be later: the wire needs both
    // senders' adverts, an announcement is one frame)
    if (x.built.some((f) => f.kind === 'split-brain' && (vrid === null || f.vrid === null || f.vrid === vrid) &&
      (band.until === null || f.start <= band.until) && (f.end === null || f.end >= band.since))) continue;
    const sender = x.senders.find((g) => g.host === band.host && g.macs.has(first.mac!));
    const macOwner = x.topo.macOwnerOf(first.mac);
    const claim: VipClaim = {
      address: first.address!, mac: first.mac!, ...(macOwner ? { macOwner } : {}), ...(sender ? { macSender: sender.src } : {}),
      announcements: claims.reduce((n, e) => n + (e.repeat ?? 1), 0),
      first: cite(first), last: cite(last), masterSince: band.since, leftMasterAt: band.until,
    };
    const master: Evidence = { file: band.entered.file, locator: `line ${band.entered.line}`, at: band.since, text: 'Entering MASTER STATE' };
    const hypotheses: Contradiction['hypotheses'] = [{ kind: 'second-master-unheard', evidence: [] }, { kind: 'address-conflict', evidence: [] }];
    const contradiction: Contradiction = { claim: 'vip-claimed-while-master', host: band.host, sides: [master, claim.first], hypotheses, vipClaim: claim };
    out.push({
      id: '', kind: 'contradiction', severity: 'warning', vrid, router: band.host, start: first.at, end: band.until,
      hosts: macOwner && macOwner !== band.host ? [band.host, macOwner] : [band.host], contradiction,
      evidence: [master, claim.first, ...(claims.length > 1 ? [claim.last] : [])],
    });
  }
  return out;
}

const cite = (e: TimelineEntry): Evidence => ({ file: e.file, locator: e.locator, at: e.at, text: e.summary ?? '' });

/** Each host's spans as MASTER, from its logged transitions; a band ends at its next state or keepalived's stop. */
function masterBands(transitions: Transition[], stops: { host: string; at: bigint }[]): Band[] {
  const out: Band[] = [];
  for (const tr of transitions) {
    if (tr.to !== 'MASTER' || !tr.host) continue;
    const next = transitions.find((t) => t.host === tr.host && t.instance === tr.instance && t.at > tr.at && t.to !== 'MASTER')?.at;
    const stop = stops.find((s) => s.host === tr.host && s.at > tr.at)?.at;
    const until = next === undefined ? stop ?? null : stop === undefined ? next : next < stop ? next : stop;
    out.push({ host: tr.host, instance: tr.instance, since: tr.at, until, entered: tr });
  }
  return out;
}
