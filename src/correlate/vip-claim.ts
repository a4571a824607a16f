import { citeLine, transitionEvidence } from './cite.js';
import type { Contradiction, VipClaim } from '../model/story.js';
import type { ContradictionFinding, Finding, TimelineEntry, Transition } from '../model/report.js';
import type { Topology } from './topology.js';
import { isVirtualMac } from './topology.js';
import { TimeList } from './time-list.js';
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
  // each host's captured announcements, found once (a flapping host's thousands of bands each filtered the timeline)
  const announced = new Map<string, TimelineEntry[]>();
  for (const e of x.timeline) {
    if (e.source !== 'capture' || e.host === null || e.address === undefined || e.mac === undefined || isVirtualMac(e.mac)) continue;
    const list = announced.get(e.host);
    if (list) list.push(e);
    else announced.set(e.host, [e]);
  }
  for (const band of masterBands(x.transitions, x.stops)) {
    const router = x.topo.routers.get(band.host);
    const own = new Set(router?.macs.keys() ?? []);
    if (!own.size) continue;
    const inst = router?.instances.find((i) => i.name === band.instance);
    const vips = new Set((inst ? inst.vips : router?.instances.flatMap((i) => i.vips) ?? []).map((v) => v.replace(/\/\d+$/, '')));
    const claims = (announced.get(band.host) ?? []).filter((e) => vips.has(e.address!) && !own.has(e.mac!) &&
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
      first: citeLine(first), last: citeLine(last), masterSince: band.since, leftMasterAt: band.until, masterBy: 'log',
    };
    const master = transitionEvidence({ file: band.entered.file, line: band.entered.line, at: band.since, to: 'MASTER' });
    const hypotheses: Contradiction['hypotheses'] = [{ kind: 'second-master-unheard', evidence: [] }, { kind: 'address-conflict', evidence: [] }];
    const contradiction: Contradiction = { claim: 'vip-claimed-while-master', host: band.host, sides: [master, claim.first], hypotheses, vipClaim: claim };
    out.push({
      id: '', kind: 'contradiction', severity: 'warning', vrid, router: band.host, start: first.at, end: band.until,
      hosts: macOwner && macOwner !== band.host ? [band.host, macOwner] : [band.host], contradiction,
      evidence: [master, claim.first, ...(claims.length > 1 ? [claim.last] : [])],
    });
  }
  return [...out, ...wireClaims(x, out)];
}

/**
 * With no log to say who was MASTER: a capture where one sender advertised (priority > 0) from before to after another
 * station's announcement of an address that sender's own MAC announced too, and the announcing MAC sent no advert then
 * — it believed itself master while the adverts on the wire said otherwise.
 */
function wireClaims(x: VipClaimInputs, fromLogs: readonly ContradictionFinding[]): ContradictionFinding[] {
  const out: ContradictionFinding[] = [];
  const told = new Set(fromLogs.map((f) => `${f.evidence[1].file}|${f.evidence[1].locator}`));
  const announces = x.timeline.filter((e) => e.source === 'capture' && e.address !== undefined && e.mac !== undefined && !isVirtualMac(e.mac));
  const adverts = x.timeline.filter((e) => e.source === 'capture' && e.src !== undefined && e.vrid !== undefined && (e.priority ?? 0) > 0);
  const macsOf = (file: string, vrid: number, src: string) => x.senders.find((g) => g.file === file && g.vrid === vrid && g.src === src)?.macs ?? new Set<string>();
  const seen = new Set<string>();
  // the capturing host's own log says who was MASTER (told above, or as a takeover's contradiction)
  const logged = new Set(x.transitions.map((t) => t.host));
  for (const run of adverts) {
    if (run.host !== null && logged.has(run.host)) continue;
    const macs = macsOf(run.file, run.vrid!, run.src!);
    if (!macs.size) continue;
    const until = run.until ?? run.at;
    const claims = announces.filter((e) => e.file === run.file && !macs.has(e.mac!) && e.at > run.at + SEC && e.at + SEC < until &&
      // the master's own MAC announced the same address: it is the master's virtual address
      announces.some((o) => o.file === run.file && o.address === e.address && macs.has(o.mac!)) &&
      // the announcer advertised nothing meanwhile (else the wire's own split-brain check speaks)
      !x.senders.some((g) => g.file === run.file && g.macs.has(e.mac!) && g.last.at !== null && g.last.at >= e.at - SEC && g.first.at !== null && g.first.at <= e.at + 3n * SEC));
    if (!claims.length) continue;
    const key = `${run.file}|${claims[0].address}|${claims[0].mac}`;
    if (seen.has(key) || told.has(`${claims[0].file}|${claims[0].locator}`)) continue;
    seen.add(key);
    const first = claims[0];
    const last = claims.at(-1)!;
    if (x.built.some((f) => f.kind === 'split-brain' && (f.vrid === null || f.vrid === run.vrid) && f.start <= until && (f.end === null || f.end >= run.at))) continue;
    const owner = x.topo.ownerOf(run.src!);
    const macOwner = x.topo.macOwnerOf(first.mac);
    const sender = x.senders.find((g) => g.file === run.file && g.macs.has(first.mac!));
    const claim: VipClaim = {
      address: first.address!, mac: first.mac!, ...(macOwner ? { macOwner } : {}), ...(sender ? { macSender: sender.src } : {}),
      announcements: claims.reduce((n, e) => n + (e.repeat ?? 1), 0), first: citeLine(first), last: citeLine(last),
      masterSince: run.at, leftMasterAt: until, masterBy: 'wire', master: run.src!,
    };
    const master = citeLine(run);
    const host = owner ?? run.host ?? null;
    const contradiction: Contradiction = {
      claim: 'vip-claimed-while-master', host, sides: [master, claim.first],
      hypotheses: [{ kind: 'second-master-unheard', evidence: [] }, { kind: 'address-conflict', evidence: [] }], vipClaim: claim,
    };
    out.push({
      id: '', kind: 'contradiction', severity: 'warning', vrid: run.vrid ?? null, router: owner ?? run.src!, start: first.at, end: until,
      hosts: [owner ?? run.src!, ...(macOwner && macOwner !== owner ? [macOwner] : [])], contradiction,
      evidence: [master, claim.first, ...(claims.length > 1 ? [claim.last] : [])],
    });
  }
  return out;
}

/**
 * Each host's spans as MASTER, from its logged transitions; a band ends at its next state or keepalived's stop: the
 * first of its host's and instance's other transitions (in the list's order) later than the band's start.
 */
function masterBands(transitions: Transition[], stops: { host: string; at: bigint }[]): Band[] {
  const leaves = new Map<string, Map<string | null, TimeList<bigint>>>();
  for (const t of transitions) {
    if (t.to === 'MASTER' || !t.host) continue;
    let byInstance = leaves.get(t.host);
    if (!byInstance) leaves.set(t.host, (byInstance = new Map()));
    let list = byInstance.get(t.instance);
    if (!list) byInstance.set(t.instance, (list = new TimeList()));
    list.push(t.at, t.at);
  }
  const stopsOf = new Map<string, TimeList<bigint>>();
  for (const s of stops) {
    let list = stopsOf.get(s.host);
    if (!list) stopsOf.set(s.host, (list = new TimeList()));
    list.push(s.at, s.at);
  }
  const out: Band[] = [];
  for (const tr of transitions) {
    if (tr.to !== 'MASTER' || !tr.host) continue;
    const next = leaves.get(tr.host)?.get(tr.instance)?.firstAfter(tr.at);
    const stop = stopsOf.get(tr.host)?.firstAfter(tr.at);
    const until = next === undefined ? stop ?? null : stop === undefined ? next : next < stop ? next : stop;
    out.push({ host: tr.host, instance: tr.instance, since: tr.at, until, entered: tr });
  }
  return out;
}
