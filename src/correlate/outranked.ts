import { transitionEvidence } from './cite.js';
import { advertEvidence } from './wire.js';
import { advertDestination, advertInterface, droppingRule, inForce, ruleEvidence } from './firewall-drop.js';
import type { ContradictionFinding, Evidence, Finding, SplitBrainFinding, Transition } from '../model/report.js';
import type { Contradiction, OutrankedAdverts } from '../model/story.js';
import type { VrrpAdvertRecord } from '../model/records.js';
import type { FlowHistory } from '../model/conntrack.js';
import type { KaEvent } from '../model/keepalived.js';
import type { RuleSnapshot } from './findings.js';
import type { Rejection } from './states.js';
import type { Topology } from './topology.js';

const SEC = 1_000_000_000n;
/** this many ignored adverts, spanning at least one advert interval, before it is a contradiction and not a race */
const MIN_ADVERTS = 3;
/** a log line naming the peer this soon after its advert: keepalived acted on that advert */
const HEARD_WITHIN = 100_000_000n;
const MAX_EPISODES = 1000;

interface Master {
  since: bigint;
  instance: string;
  vrid: number;
  priority: number;
  address: string;
  file: string;
  line: number;
}

interface Episode {
  host: string;
  vrid: number;
  src: string;
  dst: string;
  peerHost: string | null;
  peerPriority: number;
  ownPriority: number;
  tie: boolean;
  intervalNs: bigint;
  master: Master;
  adverts: number;
  first: Evidence;
  last: Evidence;
  /** the advert before `last`: if the peer's next log line names it, `last` was heard, and this is the last ignored */
  prev: Evidence | null;
  /** keepalived named the peer: adverts from then on were heard, not ignored */
  heard: boolean;
  leftAt: bigint | null;
}

type Flow = FlowHistory & { host: string | null; text?: string };

export interface OutrankedInputs {
  rejections: Rejection[];
  flows: Flow[];
  rules: RuleSnapshot[];
  /** timeout-while-adverts-captured contradictions: a MASTER that began deaf is told there, not twice */
  deaf: ContradictionFinding[];
  transitions: Transition[];
}

/** IPv4 addresses compare as numbers (keepalived's tie-break); others as text, never said to outrank. */
function higherAddress(a: string, b: string): boolean {
  const v = (x: string) => x.split('.').reduce((s, o) => s * 256 + Number(o), 0);
  return !a.includes(':') && !b.includes(':') && v(a) > v(b);
}

/**
 * A MASTER deaf to a peer that outranks it: the host's own capture holds the peer's valid adverts (a higher priority,
 * or an equal one from the higher address) while its keepalived logs nothing of them and stays MASTER — they were lost
 * between the capture point and keepalived's socket. Streaming: fed the merged adverts and log lines, it keeps one
 * open episode per host, vrid and sender (bounded).
 */
export class OutrankedWatch {
  private readonly masters = new Map<string, Master>();
  private readonly open = new Map<string, Episode>();
  private readonly closed: Episode[] = [];

  constructor(private readonly topo: Topology) {}

  event(ev: KaEvent, at: bigint, host: string | null): void {
    if (!host) return;
    if (ev.fields.peer) {
      for (const e of this.open.values()) {
        if (e.host !== host || e.src !== ev.fields.peer || e.heard) continue;
        e.heard = true;
        // the advert it names is the last one captured (the line follows it within ms; a whole-second line's true
        // time is up to a second after its stamp): heard, not ignored
        const width = 10n ** BigInt(Math.max(0, 9 - ev.precision));
        if (e.last.at !== null && e.last.at >= at - HEARD_WITHIN && e.last.at < at + width) {
          e.adverts--;
          if (e.prev) e.last = e.prev;
        }
      }
    }
    const stopped = ev.type === 'stop' || ev.type === 'stopped';
    if (ev.type === 'state' && ev.fields.state && ev.fields.instance) {
      const key = `${host}|${ev.fields.instance}`;
      if (ev.fields.state === 'MASTER') {
        const inst = this.topo.routers.get(host)?.instances.find((i) => i.name === ev.fields.instance);
        const address = inst?.unicastSrcIp ?? inst?.mcastSrcIp ?? [...(this.topo.routers.get(host)?.addresses.keys() ?? [])][0];
        if (inst?.vrid !== undefined && inst.priority !== undefined && address) {
          this.masters.set(key, { since: at, instance: ev.fields.instance, vrid: inst.vrid, priority: inst.priority, address, file: ev.file, line: ev.line });
        }
        return;
      }
      const m = this.masters.get(key);
      if (m) this.leave(host, m.vrid, at);
      this.masters.delete(key);
    } else if (stopped) {
      for (const [key, m] of this.masters) {
        if (!key.startsWith(`${host}|`)) continue;
        this.leave(host, m.vrid, at);
        this.masters.delete(key);
      }
    }
  }

  advert(r: VrrpAdvertRecord, at: bigint, host: string | null): void {
    if (!host || r.vrid === undefined || r.type !== 1 || !r.priority || r.checksumStatus === 'bad') return;
    const m = [...this.masters.values()].find((x) => x.vrid === r.vrid && this.masters.get(`${host}|${x.instance}`) === x);
    if (!m) return;
    const res = this.topo.resolve(r);
    if (res.router === host) return;
    const own = this.topo.routers.get(host)?.addresses;
    if (!r.dst.startsWith('224.') && !r.dst.toLowerCase().startsWith('ff') && !own?.has(r.dst)) return;
    const tie = r.priority === m.priority && higherAddress(r.src, m.address);
    if (r.priority <= m.priority && !tie) return;
    const key = `${host}|${r.vrid}|${r.src}`;
    const ev = advertEvidence(r, at);
    const intervalNs = r.interval ? (r.intervalUnit === 'cs' ? BigInt(r.interval) * 10_000_000n : BigInt(r.interval) * SEC) : SEC;
    const e = this.open.get(key);
    if (e && !e.heard && e.last.at !== null && at - e.last.at <= 3n * intervalNs) {
      e.prev = e.last;
      e.last = ev;
      e.adverts++;
      return;
    }
    if (e) this.close(key, e, null);
    if (this.closed.length >= MAX_EPISODES) return;
    this.open.set(key, {
      host, vrid: r.vrid, src: r.src, dst: r.dst, peerHost: res.router ?? null, peerPriority: r.priority, ownPriority: m.priority, tie, intervalNs,
      master: m, adverts: 1, first: ev, last: ev, prev: null, heard: false, leftAt: null,
    });
  }

  private leave(host: string, vrid: number, at: bigint): void {
    for (const [key, e] of this.open) if (e.host === host && e.vrid === vrid) this.close(key, e, at);
  }

  private close(key: string, e: Episode, leftAt: bigint | null): void {
    this.open.delete(key);
    e.leftAt = leftAt;
    this.closed.push(e);
  }

  /** The contradictions, once the stream has ended. */
  findings(x: OutrankedInputs): ContradictionFinding[] {
    for (const [key, e] of [...this.open]) this.close(key, e, null);
    const out: ContradictionFinding[] = [];
    for (const e of this.closed) {
      if (e.adverts < MIN_ADVERTS || e.first.at === null || e.last.at === null || e.last.at - e.first.at < e.intervalNs) continue;
      // a MASTER that began deaf (took over on the timeout while the adverts arrived) is the other contradiction's
      if (x.deaf.some((d) => d.hosts?.includes(e.host) && d.start === e.master.since)) continue;
      // keepalived logged why it refused them (checksum, AH, not a unicast peer): explained, no contradiction
      if (x.rejections.some((r) => r.host === e.host && r.start <= e.last.at! && r.end >= e.first.at!)) continue;
      out.push(this.finding(e, x));
    }
    return out;
  }

  private finding(e: Episode, x: OutrankedInputs): ContradictionFinding {
    const took = transitionEvidence({ file: e.master.file, line: e.master.line, at: e.master.since, to: 'MASTER' }, e.host);
    const hypotheses: Contradiction['hypotheses'] = [];
    const entry = staleEntry(e, x.flows, this.topo);
    if (entry) hypotheses.push({ kind: 'stale-unicast-entry-clash', evidence: entry });
    const snap = inForce(x.rules, e.host, e.first.at!);
    const rule = snap ? droppingRule(snap, e.src, advertDestination(this.topo, e.host, e.vrid, e.src), advertInterface(this.topo, e.host, e.vrid)) : undefined;
    if (snap && rule) hypotheses.push({ kind: 'dropped-by-firewall-rule', evidence: [ruleEvidence(snap, rule)], ...(rule.policy ? { policy: true as const } : {}) });
    if (!hypotheses.length) hypotheses.push({ kind: 'dropped-after-capture-point', evidence: [] });
    const outranked: OutrankedAdverts = {
      peer: e.src, peerHost: e.peerHost, peerPriority: e.peerPriority, ownPriority: e.ownPriority, tie: e.tie, vrid: e.vrid, dst: e.dst,
      adverts: e.adverts, first: e.first, last: e.last, masterSince: e.master.since, leftMasterAt: e.leftAt,
    };
    const contradiction: Contradiction = { claim: 'outranked-while-master', host: e.host, sides: [took, e.first], hypotheses, outranked };
    const left = e.leftAt === null ? undefined : x.transitions.find((t) => t.host === e.host && t.at === e.leftAt);
    const evidence: Evidence[] = [took, e.first, e.last, ...hypotheses.flatMap((h) => h.evidence)];
    if (left) evidence.push(transitionEvidence({ file: left.file, line: left.line, at: left.at, to: left.to }, e.host));
    return {
      id: '', kind: 'contradiction', severity: 'warning', vrid: e.vrid, router: e.host, start: e.first.at!, end: e.leftAt,
      hosts: e.peerHost ? [e.host, e.peerHost] : [e.host], contradiction, evidence,
    };
  }
}

/**
 * The host's own translated entry for its unicast adverts to the peer (original host → peer, reply peer → an address
 * not the host's): the peer's adverts (peer → host) need a new entry whose reply tuple is that entry's original, which
 * the kernel cannot insert. Cited by its birth line and by a dump that shows it while the adverts were ignored.
 */
function staleEntry(e: Episode, flows: Flow[], topo: Topology): Evidence[] | null {
  if (e.dst.startsWith('224.') || e.dst.toLowerCase().startsWith('ff')) return null;
  const own = topo.routers.get(e.host)?.addresses;
  const f = flows.find((x) => x.host === e.host && (x.protoNum === 112 || x.protoNum === 51) && x.orig.dst === e.src && x.orig.src === e.dst &&
    (own?.has(x.orig.src) ?? true) && x.reply.src === e.src && x.reply.dst !== x.orig.src &&
    (x.born?.at ?? x.first.at ?? 0n) <= e.last.at! && (x.destroyed?.at ?? e.first.at!) >= e.first.at!);
  if (!f) return null;
  const out: Evidence[] = [];
  const born = f.born ?? f.first;
  if (f.text) out.push({ file: born.file, locator: `line ${born.line}`, at: f.born?.at ?? f.first.at ?? null, text: f.text });
  // a dump taken while the adverts were ignored shows the entry there at that moment
  const dump = f.recent.filter((s) => !s.event && s.at !== undefined && s.at >= e.first.at! && s.at <= e.last.at! + SEC).at(-1);
  if (dump) {
    out.push({
      file: dump.file, locator: `line ${dump.line}`, at: dump.at ?? null,
      text: `${f.protoName} ${f.protoNum} src=${f.orig.src} dst=${f.orig.dst}${dump.packets !== undefined ? ` packets=${dump.packets}` : ''} [UNREPLIED] src=${f.reply.src} dst=${f.reply.dst}`,
    });
  }
  return out.length ? out : null;
}

/**
 * Once ids are given: each such contradiction is about the split brain it explains (the host stayed MASTER while the
 * other was too), and the split brain lists it among the findings that explain why a side did not yield.
 */
export function linkOutranked(findings: Finding[]): void {
  for (const c of findings.filter((f): f is ContradictionFinding => f.kind === 'contradiction' && f.contradiction.claim === 'outranked-while-master')) {
    const o = c.contradiction.outranked!;
    const split = findings.find((s): s is SplitBrainFinding => s.kind === 'split-brain' && s.hosts.includes(c.contradiction.host ?? '') &&
      s.start <= o.last.at! && (s.end ?? o.last.at!) >= o.first.at!);
    if (!split) continue;
    c.about = split.id;
    (split.explainedBy ??= []).push(c.id);
  }
}
