import { captureLocator, checksumText, type CarpAdvertRecord, type GarpRecord, type UnsolicitedNaRecord, type VrrpAdvertRecord } from '../model/records.js';
import type { Evidence, WireChangeRule } from '../model/report.js';
import type { RunSlot, TimelineCollector } from './timeline.js';
import type { Resolved, Topology, TranslatedAddress } from './topology.js';
import { CopyFilter } from '../model/advert-copies.js';

const SEC = 1_000_000_000n;

/** One advert as evidence: the file and frame, and what tcpdump would show (never the auth string). */
export function advertEvidence(r: VrrpAdvertRecord, at: bigint): Evidence {
  let t = `${r.src} > ${r.dst}: VRRPv${r.version}, vrid ${r.vrid ?? '?'}, prio ${r.priority ?? '?'}`;
  if (r.interval !== undefined) t += `, intvl ${r.interval}${r.intervalUnit}`;
  if (r.addresses) t += `, addrs ${r.addresses.join(',') || '-'}`;
  t += `, cksum ${checksumText(r)}`;
  if (r.srcMac) t += `, mac ${r.srcMac}`;
  if (r.direction) t += `, ${r.direction}`;
  return { file: r.file, locator: captureLocator(r), at, text: t };
}

/**
 * The latest advert of something (a sender, a sender's first after another's), kept as its record and time: its
 * evidence (a tcpdump-like string) is made only when it is read. A storm set one per advert and read a few.
 */
class EvidenceSlot<R extends object> {
  private ev: Evidence | null = null;
  constructor(
    private readonly word: (r: R, at: bigint) => Evidence,
    private r: R | null = null,
    private at = 0n,
  ) {}
  get empty(): boolean {
    return this.r === null;
  }
  set(r: R, at: bigint): void {
    if (r === this.r && at === this.at) return;
    this.r = r;
    this.at = at;
    this.ev = null;
  }
  clear(): void {
    this.r = null;
    this.ev = null;
  }
  /** the advert as evidence, made once per advert held (the same object on every read) */
  get evidence(): Evidence | null {
    if (this.r && !this.ev) this.ev = this.word(this.r, this.at);
    return this.ev;
  }
}

class AdvertSlot extends EvidenceSlot<VrrpAdvertRecord> {
  constructor(r: VrrpAdvertRecord | null = null, at = 0n) {
    super(advertEvidence, r, at);
  }
}

/**
 * A sender's timeline run for the value of one field it sent last (a VRRP priority, a CARP advskew): kept, so an advert
 * of a storm costs no key string and no lookup — only a change of that value looks the run up again.
 */
class SenderRun {
  private slot: RunSlot | null = null;
  private part: number | undefined;

  of<R>(timeline: TimelineCollector, part: number | undefined, r: R, keyOf: (r: R) => string): RunSlot {
    if (this.slot === null || this.part !== part) {
      this.slot = timeline.slot(keyOf(r));
      this.part = part;
    }
    return this.slot;
  }
}

/** The slot a map keeps for `key`, made on first use. */
function slotOf(m: Map<string, AdvertSlot>, key: string): AdvertSlot {
  let s = m.get(key);
  if (!s) m.set(key, (s = new AdvertSlot()));
  return s;
}

/** Per file, vrid and source address: a compact summary of everything that sender sent. */
export interface SenderGroup {
  file: string;
  host: string | null;
  vrid: number;
  src: string;
  /** the group or unicast peer the adverts went to */
  dst: string;
  resolved: Resolved;
  first: Evidence;
  last: Evidence;
  count: number;
  macs: Set<string>;
  priorities: Set<number>;
  intervals: Set<string>;
  vips: Set<string>;
  auth: Set<string>;
  sentByUs: number;
  /** VRRPv3: the checksum's partial sum of the first advert whose checksum failed (tests which source it was made for) */
  v3Partial?: number;
  /** for each other source of this vrid in this file: the first advert of ours after its last one (a revert) */
  firstAfter: Map<string, Evidence | null>;
}

/** A sender group as the stream fills it: its latest advert and its first after each other source kept as records. */
class Sender implements SenderGroup {
  readonly first: Evidence;
  count = 0;
  readonly macs = new Set<string>();
  readonly priorities = new Set<number>();
  readonly intervals = new Set<string>();
  readonly vips = new Set<string>();
  readonly auth = new Set<string>();
  sentByUs = 0;
  v3Partial?: number;
  readonly latest: AdvertSlot;
  /** per other source, in the order first met: our first advert after its last one (empty until we send again) */
  readonly after = new Map<string, AdvertSlot>();
  /** the timeline run of our adverts at the priority we sent last */
  readonly run = new SenderRun();
  /** the interval and VIP list last added (a storm repeats them: no text made per advert) */
  private lastInterval: number | undefined;
  private lastUnit: string | undefined;
  private lastVips: string[] | undefined;

  constructor(
    readonly file: string,
    readonly host: string | null,
    readonly vrid: number,
    readonly src: string,
    readonly dst: string,
    public resolved: Resolved,
    r: VrrpAdvertRecord,
    at: bigint,
  ) {
    this.latest = new AdvertSlot(r, at);
    this.first = this.latest.evidence!;
  }

  get last(): Evidence {
    return this.latest.evidence!;
  }

  get firstAfter(): Map<string, Evidence | null> {
    return new Map([...this.after].map(([src, s]) => [src, s.evidence]));
  }

  addInterval(interval: number, unit: string | undefined): void {
    if (interval === this.lastInterval && unit === this.lastUnit) return;
    this.lastInterval = interval;
    this.lastUnit = unit;
    this.intervals.add(`${interval}${unit}`);
  }

  addVips(addresses: string[]): void {
    const l = this.lastVips;
    if (l && l.length === addresses.length && l.every((a, i) => a === addresses[i])) return;
    this.lastVips = addresses;
    this.vips.add(addresses.join(','));
  }
}

export interface Interval {
  file: string;
  vrid: number;
  start: bigint;
  end: bigint;
  first: Evidence;
  peak: number;
  senders: Set<string>;
  adverts: number;
}

export interface WireChange {
  file: string;
  vrid: number;
  at: bigint;
  from: string;
  to: string;
  evidence: Evidence;
  pendingUntil: bigint;
  /** the old and new sender's priority on the wire (none for the old one when it resigned) */
  fromPriority?: number;
  toPriority?: number;
  /** set when the change is decided */
  rule?: WireChangeRule;
  /** the old sender's last advert before the change (or its resignation) */
  lastOfOld?: Evidence;
}

/** A priority-0 advert: a master giving up the mastership (keepalived stopping, or its instance going to FAULT). */
export interface Resignation {
  file: string;
  vrid: number;
  /** the router, or the source address when no router is known for it */
  sender: string;
  src: string;
  at: bigint;
  evidence: Evidence;
}

/**
 * CARP (another protocol on IP 112): per file, vhid and source, what was sent — kept apart from VRRP, never in an
 * election. `translated` is set when the source is an address known to be a SNAT target (conntrack, a SNAT rule).
 */
export interface CarpGroup {
  file: string;
  host: string | null;
  vhid: number;
  src: string;
  dst: string;
  first: Evidence;
  last: Evidence;
  count: number;
  advskews: Set<number>;
  advbases: Set<number>;
  demotions: Set<number>;
  badChecksums: number;
  translated?: TranslatedAddress;
}

/** One CARP advert as evidence, in tcpdump's words. */
export function carpEvidence(r: CarpAdvertRecord, at: bigint): Evidence {
  let t = `${r.src} > ${r.dst}: CARPv${r.version}, vhid ${r.vhid ?? '?'}, advbase ${r.advbase ?? '?'}, advskew ${r.advskew ?? '?'}`;
  if (r.demotion) t += `, demote ${r.demotion}`;
  t += `, cksum ${r.checksumStatus}`;
  if (r.srcMac) t += `, mac ${r.srcMac}`;
  return { file: r.file, locator: `frame ${r.frame}`, at, text: t };
}

/** A CARP group as the stream fills it: its latest advert kept as a record, worded only when read. */
class CarpSender implements CarpGroup {
  readonly first: Evidence;
  count = 0;
  readonly advskews = new Set<number>();
  readonly advbases = new Set<number>();
  readonly demotions = new Set<number>();
  badChecksums = 0;
  translated?: TranslatedAddress;
  readonly latest: EvidenceSlot<CarpAdvertRecord>;
  /** the timeline run of our adverts at the advskew we sent last */
  readonly run = new SenderRun();
  /** the run gap (3 intervals) for the advbase and advskew it was worked out for */
  private gapNs = 0n;
  private gapBase: number | undefined = -1;
  private gapSkew: number | undefined = -1;

  constructor(
    readonly file: string,
    readonly host: string | null,
    readonly vhid: number,
    readonly src: string,
    readonly dst: string,
    r: CarpAdvertRecord,
    at: bigint,
  ) {
    this.latest = new EvidenceSlot(carpEvidence, r, at);
    this.first = this.latest.evidence!;
  }

  get last(): Evidence {
    return this.latest.evidence!;
  }

  gap(r: CarpAdvertRecord): bigint {
    if (r.advbase !== this.gapBase || r.advskew !== this.gapSkew) {
      this.gapBase = r.advbase;
      this.gapSkew = r.advskew;
      this.gapNs = carpRunGap(r);
    }
    return this.gapNs;
  }
}

/** Three CARP intervals (advbase + advskew/256 s): the gap that ends a timeline run of one sender's adverts. */
function carpRunGap(r: CarpAdvertRecord): bigint {
  return 3n * (BigInt(r.advbase ?? 1) * SEC + (BigInt(r.advskew ?? 0) * SEC) / 256n);
}

/** When a router started advertising (after silence): compared with its "Entering MASTER STATE" for clock offsets. */
export interface SenderStart {
  router: string;
  vrid: number;
  at: bigint;
  evidence: Evidence;
}

interface Lane {
  file: string;
  vrid: number;
  groups: Map<string, Sender>;
  /** the sender identity that was advertising last */
  lastIdentity?: string;
  /** each sender identity's latest advert, and the latest advert of all */
  lastAt: Map<string, bigint>;
  newest: bigint;
  pending?: WireChange;
  intervalNs: bigint;
  /** the current advert interval's bucket: its adverts are those before `until` (start + width, the width it was made with) */
  bucket: { start: bigint; last: bigint; width: bigint; until: bigint; count: number; identities: Set<string>; first: Evidence } | null;
  storm?: Interval;
  /** each sender still advertising (priority > 0) and its latest advert: two alive at once is a split brain */
  alive: Map<string, bigint>;
  split?: Interval;
  /** each sender identity's latest priority and latest advert with a positive one */
  prio: Map<string, number>;
  lastPositive: Map<string, AdvertSlot>;
  /** the new sender's latest advert while a change is pending, and whether the old one was advertising when it began */
  pendingLatest?: bigint;
  pendingOldAlive?: boolean;
  /** the advert the pending change began with */
  pendingRec?: VrrpAdvertRecord;
  /** the advert interval as the adverts give it, and three of them (worked out when it changes, not per advert) */
  interval?: number;
  intervalUnit?: string;
  three: bigint;
  /** no alive sender can have fallen silent before this time (twoMasters looks again only past it) */
  aliveCheck: bigint;
}

const MAX_GROUPS_PER_LANE = 64;
/** a time before every other (a lane's alive check that must look now) */
const NEVER = -1n << 80n;

/** `start + width` of a bucket whose width changed since it was made (the advert interval changed) */
function bucketEnd(b: { start: bigint; width: bigint; until: bigint }, width: bigint): bigint {
  b.width = width;
  b.until = b.start + width;
  return b.until;
}

/** The timeline run key of a CARP advert: file, vhid, source and advskew. */
function carpRunKey(r: CarpAdvertRecord): string {
  return `carp|${r.file}|${r.vhid}|${r.src}|${r.advskew}`;
}

/** The timeline run key of an advert: file, vrid, source and priority. */
function advertRunKey(r: VrrpAdvertRecord): string {
  return `adv|${r.file}|${r.vrid}|${r.src}|${r.priority}`;
}
/** a pending change's evidence until it is decided (only decided changes leave the detector) */
const UNDECIDED: Evidence = { file: '', locator: '', at: null, text: '' };
const MAX_LIST = 10_000;
/** gratuitous ARPs / unsolicited NAs kept one by one (the first of the stream): see `garps` */
export const ANNOUNCES_LISTED = MAX_LIST;
/** the same announcement again within this long extends its timeline run */
export const ANNOUNCE_GAP = 3n * SEC;

/** The address a gratuitous ARP or unsolicited NA announces. */
export function announcedAddress(r: GarpRecord | UnsolicitedNaRecord): string {
  return r.kind === 'garp' ? r.address : r.target;
}

/** The MAC it announces the address at (an NA without a target MAC option: its link-layer source). */
export function announcedMac(r: GarpRecord | UnsolicitedNaRecord): string | undefined {
  return r.kind === 'garp' ? r.senderMac : r.targetMac ?? r.srcMac;
}

/** The new sender outranks the old one on the wire (so keepalived's preemption, not a silence, explains the change). */
function higher(p: WireChange): boolean {
  return p.fromPriority !== undefined && p.toPriority !== undefined && p.toPriority > p.fromPriority;
}

/**
 * Streaming state over the adverts of every capture, per file and vrid: sender groups (who, with which address,
 * MACs, priorities, checksums), source switches and reverts, master changes (a new sender that the old one does not
 * contest), advert storms (rate per advert interval far above one per sender) and split brain (two senders for
 * three intervals in a row).
 */
export class WireDetector {
  private readonly lanes = new Map<string, Lane>();
  readonly changes: WireChange[] = [];
  readonly storms: Interval[] = [];
  readonly splits: Interval[] = [];
  readonly resignations: Resignation[] = [];
  private readonly carpGroups = new Map<string, CarpSender>();
  /** per capture: adverts seen a second time on another interface of an `-i any` capture, not counted again */
  readonly copies = new Map<string, number>();
  private readonly copyFilter = new CopyFilter();
  readonly starts: SenderStart[] = [];
  readonly garps: { at: bigint; file: string; frame: number; locator: string; address: string; mac?: string }[] = [];

  constructor(
    private readonly topo: Topology,
    private readonly timeline: TimelineCollector,
  ) {}

  groups(): SenderGroup[] {
    return [...this.lanes.values()].flatMap((l) => [...l.groups.values()]);
  }

  /** What one source sent for one vrid in one capture. */
  group(file: string, vrid: number, src: string): SenderGroup | undefined {
    return this.lanes.get(`${file}|${vrid}`)?.groups.get(src);
  }

  /** CARP senders, in the order first seen. */
  carps(): CarpGroup[] {
    return [...this.carpGroups.values()];
  }

  /** A CARP advert: grouped and put on the timeline as CARP; no lane, election, change or split is touched. */
  carp(r: CarpAdvertRecord, at: bigint, host: string | null): void {
    const vhid = r.vhid;
    if (vhid === undefined || this.copyFilter.isCopy(r, at)) return;
    const key = `${r.file}|${r.vhid}|${r.src}`;
    // (no evidence made here: the group keeps its latest advert as a record, worded only when read)
    let g = this.carpGroups.get(key);
    if (!g && this.carpGroups.size < MAX_LIST) {
      g = new CarpSender(r.file, host, vhid, r.src, r.dst, r, at);
      this.carpGroups.set(key, g);
    }
    if (g) {
      g.latest.set(r, at);
      g.count++;
      if (r.advskew !== undefined) g.advskews.add(r.advskew);
      if (r.advbase !== undefined) g.advbases.add(r.advbase);
      if (r.demotion !== undefined) g.demotions.add(r.demotion);
      if (r.checksumStatus === 'bad') g.badChecksums++;
      // CARP sends from the member's own address: one that is a SNAT target was rewritten on its way out
      g.translated ??= this.topo.translated.get(r.src);
    }
    const slot = g ? g.run.of(this.timeline, r.advskew, r, carpRunKey) : this.timeline.slot(carpRunKey(r));
    const gap = g ? g.gap(r) : carpRunGap(r);
    if (this.timeline.extend(slot, gap, at)) return;
    this.timeline.open(slot, gap, {
      at, host, source: 'capture', kind: g?.translated ? 'carp-advert-translated' : 'carp-advert',
      fact: {
        kind: 'carp', vhid, ...(r.advbase !== undefined ? { advbase: r.advbase } : {}), ...(r.advskew !== undefined ? { advskew: r.advskew } : {}), src: r.src,
        ...(g?.translated ? { translated: g.translated.original ? { original: g.translated.original } : {} } : {}), ...(r.checksumStatus === 'bad' ? { checksumBad: true } : {}),
      },
      file: r.file, locator: `frame ${r.frame}`,
    }, at);
  }

  /**
   * A gratuitous ARP or unsolicited NA: listed (the first ANNOUNCES_LISTED), and on the timeline. One that carries a
   * run stands for `run.count` identical ones (load/announce-runs.ts); runs come only once the list is full.
   */
  garp(r: GarpRecord | UnsolicitedNaRecord, at: bigint, host: string | null): void {
    const address = announcedAddress(r);
    const mac = announcedMac(r);
    if (this.garps.length < MAX_LIST) this.garps.push({ at, file: r.file, frame: r.frame, locator: captureLocator(r), address, mac });
    this.timeline.run(`garp|${r.file}|${address}|${mac}`, ANNOUNCE_GAP, () => ({
      at, host, source: 'capture', kind: r.kind === 'garp' ? 'gratuitous-arp' : 'unsolicited-na',
      fact: { kind: 'announce', announce: r.kind === 'garp' ? 'garp' : 'na', address, ...(mac ? { mac } : {}) },
      file: r.file, locator: captureLocator(r), address, ...(mac ? { mac } : {}),
    }), at, r.run?.count, r.run?.until);
  }

  advert(r: VrrpAdvertRecord, at: bigint, host: string | null): void {
    if (r.vrid === undefined || r.type !== 1) return;
    if (this.secondCopy(r, at)) return;
    const laneKey = `${r.file}|${r.vrid}`;
    let lane = this.lanes.get(laneKey);
    if (!lane) {
      lane = {
        file: r.file, vrid: r.vrid, groups: new Map(), lastAt: new Map(), newest: at, intervalNs: SEC, three: 3n * SEC, bucket: null, alive: new Map(), aliveCheck: NEVER,
        prio: new Map(), lastPositive: new Map(),
      };
      this.lanes.set(laneKey, lane);
    }
    if (r.interval && (r.interval !== lane.interval || r.intervalUnit !== lane.intervalUnit)) {
      lane.interval = r.interval;
      lane.intervalUnit = r.intervalUnit;
      lane.intervalNs = r.intervalUnit === 'cs' ? BigInt(r.interval) * 10_000_000n : BigInt(r.interval) * SEC;
      lane.three = 3n * lane.intervalNs;
      lane.aliveCheck = NEVER;
    }
    const res = this.topo.resolve(r);
    const identity = res.router ?? res.original;
    // (no evidence made here: a storm's adverts are kept as records, and worded only where one is kept for good)
    let g = lane.groups.get(r.src);
    if (!g && lane.groups.size < MAX_GROUPS_PER_LANE) {
      g = new Sender(r.file, host, r.vrid, r.src, r.dst, res, r, at);
      lane.groups.set(r.src, g);
    }
    if (g) {
      // the resolution can improve as evidence arrives (a MAC learned later); keep the most specific
      if (res.translated && !g.resolved.translated) g.resolved = res;
      g.latest.set(r, at);
      g.count++;
      if (r.srcMac) g.macs.add(r.srcMac);
      if (r.priority !== undefined) g.priorities.add(r.priority);
      if (r.interval !== undefined) g.addInterval(r.interval, r.intervalUnit);
      if (r.addresses) g.addVips(r.addresses);
      if (r.authData !== undefined) g.auth.add(r.authData);
      if (r.checksumStatus === 'bad' && r.v3PartialSum !== undefined && g.v3Partial === undefined) g.v3Partial = r.v3PartialSum;
      if (r.direction === 'sent-by-us') g.sentByUs++;
      for (const other of lane.groups.values()) {
        if (other === g) continue;
        // we just sent: the other's "first advert after ours" starts again; ours after theirs is this one, if unset
        slotOf(other.after, g.src).clear();
        if (other.count > 0) {
          const mine = g.after.get(other.src);
          if (!mine) g.after.set(other.src, new AdvertSlot(r, at));
          else if (mine.empty) mine.set(r, at);
        }
      }
      // a packet a host's own capture marks as sent by it carries that host's MAC, translated or not (the first
      // evidence of a MAC is the one kept: none is made for a MAC already known)
      if (host && r.direction === 'sent-by-us' && r.srcMac) {
        if (!this.topo.knowsMac(host, r.srcMac)) this.topo.addMac(host, r.srcMac, { how: 'capture', evidence: advertEvidence(r, at) });
      } else if (!res.translated && res.router && r.srcMac && !r.direction) {
        if (!this.topo.knowsMac(res.router, r.srcMac)) this.topo.addMac(res.router, r.srcMac, { how: 'capture', evidence: advertEvidence(r, at) });
      }
    }
    const quietBefore = lane.lastAt.get(identity);
    if (res.router && (r.priority ?? 0) > 0 && (quietBefore === undefined || at - quietBefore > lane.three)) {
      if (this.starts.length < MAX_LIST) this.starts.push({ router: res.router, vrid: r.vrid, at, evidence: advertEvidence(r, at) });
    }
    if (at > lane.newest) lane.newest = at;
    this.timelineEntry(r, at, host, res, lane, g);
    this.resignation(lane, identity, r, at);
    this.masterChange(lane, identity, r, at);
    lane.lastAt.set(identity, at);
    if (r.priority !== undefined) lane.prio.set(identity, r.priority);
    if ((r.priority ?? 0) > 0) slotOf(lane.lastPositive, identity).set(r, at);
    this.rates(lane, identity, r, at);
  }

  /** A priority-0 advert from a sender that was advertising: it resigned (one per resignation, not per copy). */
  private resignation(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint): void {
    if (r.priority !== 0 || lane.prio.get(identity) === 0) return;
    if (this.resignations.length < MAX_LIST) this.resignations.push({ file: r.file, vrid: lane.vrid, sender: identity, src: r.src, at, evidence: advertEvidence(r, at) });
  }

  /** The advert on the timeline: one run per file, vrid, source and priority (the sender's run slot, kept by it). */
  private timelineEntry(r: VrrpAdvertRecord, at: bigint, host: string | null, res: Resolved, lane: Lane, g: Sender | undefined): void {
    const slot = g ? g.run.of(this.timeline, r.priority, r, advertRunKey) : this.timeline.slot(advertRunKey(r));
    if (this.timeline.extend(slot, lane.three, at)) return;
    this.timeline.open(slot, lane.three, {
      at, host, source: 'capture', kind: res.translated ? 'advert-translated' : 'advert', vrid: r.vrid, src: r.src,
      fact: {
        kind: 'advert', version: r.version, vrid: lane.vrid, ...(r.priority !== undefined ? { priority: r.priority } : {}), src: r.src,
        ...(res.translated ? { translated: { original: res.original, ...(res.router ? { router: res.router } : {}) } } : res.router ? { router: res.router } : {}),
        ...(r.checksumStatus === 'bad' ? { checksumBad: true } : {}),
      },
      file: r.file, locator: captureLocator(r), ...(r.priority !== undefined ? { priority: r.priority } : {}),
    }, at);
  }

  /**
   * A new sender is a master change once the old one resigned, or stopped within the master-down interval while the
   * new one (of higher priority) kept advertising (a preemption), or stayed silent for three intervals after it.
   */
  private masterChange(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint): void {
    const prio = r.priority ?? 0;
    const p = lane.pending;
    if (p && identity === p.to && prio > 0 && this.preempted(lane, p, at)) {
      this.decideChange(lane, p, 'preempted');
    } else if (p && this.oldSilent(lane, p, at)) {
      this.decideChange(lane, p, 'old-sender-silent');
    } else if (p && identity === p.to && prio > 0) {
      lane.pendingLatest = at;
    } else if (p && identity === p.from && prio > 0 && !this.handingOver(lane, p, at)) {
      lane.pending = undefined; // contested: the old sender is still there (a split brain or a preemption race)
      lane.lastIdentity = identity;
      return;
    }
    if (prio === 0) return; // a resignation is not a new master
    if (lane.lastIdentity !== undefined && identity !== lane.lastIdentity && !lane.pending) {
      const from = lane.lastIdentity;
      const change: WireChange = {
        // (its evidence and the old sender's last advert are made when it is decided: a split brain's storm starts
        // and contests a change at nearly every advert)
        file: r.file, vrid: r.vrid!, at, from, to: identity, evidence: UNDECIDED, pendingUntil: at + lane.three,
        toPriority: prio, lastOfOld: undefined,
      };
      const oldPrio = lane.prio.get(from);
      if (oldPrio === 0) {
        this.decideChange(lane, change, 'after-resignation', r);
      } else {
        if (oldPrio !== undefined) change.fromPriority = oldPrio;
        lane.pending = change;
        lane.pendingRec = r;
        lane.pendingLatest = at;
        // the old master still advertising when the higher-priority one begins: a preemption, not a failover
        const oldLast = lane.lastAt.get(from);
        lane.pendingOldAlive = oldLast !== undefined && at - oldLast <= lane.three / 2n;
      }
    }
    if (!lane.pending || lane.pending.to === identity) lane.lastIdentity = identity;
  }

  /** The old sender silent for three intervals since its last advert (lastAt does not hold the current advert yet). */
  private oldSilent(lane: Lane, p: WireChange, at: bigint): boolean {
    return at > p.pendingUntil && at - (lane.lastAt.get(p.from) ?? 0n) > lane.three;
  }

  /** keepalived's master-down interval for a backup of priority `prio`: 3 × interval + (256 − prio) / 256 × interval. */
  private masterDown(lane: Lane, prio: number): bigint {
    return lane.three + (BigInt(256 - Math.min(255, Math.max(1, prio))) * lane.intervalNs) / 256n;
  }

  /** The old sender still advertising shortly after a higher-priority one began: it has not yet heard it (a handover). */
  private handingOver(lane: Lane, p: WireChange, at: bigint): boolean {
    return higher(p) && Boolean(lane.pendingOldAlive) && at - p.at <= this.masterDown(lane, p.toPriority!);
  }

  /**
   * Preemption decided as soon as the evidence shows it: the new sender has the higher priority, it is advertising
   * now, and the old sender has missed its turn (no advert for 1.5 intervals) within the master-down interval.
   */
  private preempted(lane: Lane, p: WireChange, at: bigint): boolean {
    if (!higher(p) || !lane.pendingOldAlive || at - p.at > this.masterDown(lane, p.toPriority!)) return false;
    const oldLast = lane.lastAt.get(p.from);
    return oldLast !== undefined && at - oldLast > lane.three / 2n;
  }

  /** `rec`: the advert the change began with (the pending change's, unless given) */
  private decideChange(lane: Lane, p: WireChange, rule: WireChangeRule, rec = lane.pendingRec!): void {
    p.rule = rule;
    p.evidence = advertEvidence(rec, p.at);
    p.lastOfOld = lane.lastPositive.get(p.from)?.evidence ?? p.lastOfOld;
    if (this.changes.length < MAX_LIST) this.changes.push(p);
    if (lane.pending === p) lane.pending = undefined;
    lane.pendingOldAlive = undefined;
  }

  /**
   * End of the capture with a change still pending: it stands when the capture ran long enough to see the old sender
   * stay silent, or when the new sender has the higher priority, advertised after the old one's last advert, and the old
   * one has been silent for an interval by then.
   */
  private settleAtEnd(lane: Lane): void {
    const p = lane.pending;
    if (!p) return;
    if (lane.newest >= p.pendingUntil && lane.newest - (lane.lastAt.get(p.from) ?? 0n) >= lane.three) this.decideChange(lane, p, 'old-sender-silent');
    else {
      const oldLast = lane.lastAt.get(p.from);
      // the old sender has missed (nearly) a whole turn by the end while the new one kept advertising
      const quiet = oldLast !== undefined && lane.newest - oldLast >= lane.intervalNs;
      if (higher(p) && quiet && lane.pendingLatest !== undefined && lane.pendingLatest > oldLast!) this.decideChange(lane, p, 'higher-priority-at-capture-end');
    }
    lane.pending = undefined;
  }

  /** an advert seen again on another interface of an `-i any` capture: counted per file for the inputs summary */
  private secondCopy(r: VrrpAdvertRecord, at: bigint): boolean {
    if (!this.copyFilter.isCopy(r, at)) return false;
    this.copies.set(r.file, (this.copies.get(r.file) ?? 0) + 1);
    return true;
  }

  /** Per advert interval: the rate (storm); and who is still advertising (split brain). */
  private rates(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint): void {
    const width = lane.intervalNs > 0n ? lane.intervalNs : SEC;
    this.twoMasters(lane, identity, r, at);
    const b = lane.bucket;
    if (b && at < (b.width === width ? b.until : bucketEnd(b, width))) {
      b.count++;
      b.last = at;
      if ((r.priority ?? 0) > 0) b.identities.add(identity);
      return;
    }
    if (b) this.closeBucket(lane, b, at);
    lane.bucket = { start: at, last: at, width, until: at + width, count: 1, identities: new Set((r.priority ?? 0) > 0 ? [identity] : []), first: advertEvidence(r, at) };
  }

  /**
   * A sender counts as master until it resigns (priority 0) or falls silent for 3 intervals — keepalived's own master
   * down interval, so one skipped advert or timer jitter does not end a split; two such senders at once for three
   * intervals or more is a split brain (less is a preemption handing over).
   */
  private twoMasters(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint): void {
    const down = lane.three;
    // when the sender that went away last advertised: the split ended there, not when the silence was noticed
    let gone: bigint | undefined;
    // an advert older than the lane's newest may move a sender's last back: every sender is looked at again
    if (at < lane.newest) lane.aliveCheck = NEVER;
    // (looked at only once one may have fallen silent: per advert and sender, a storm's BigInt garbage)
    if (at > lane.aliveCheck) {
      let next: bigint | undefined;
      // (keys, then the value: an [id, last] pair per sender and advert was garbage in a storm)
      for (const id of lane.alive.keys()) {
        const last = lane.alive.get(id)!;
        if (at - last <= down) {
          const until = last + down;
          if (next === undefined || until < next) next = until;
          continue;
        }
        lane.alive.delete(id);
        if (gone === undefined || last > gone) gone = last;
      }
      // senders that join later, or advertise again, do so no earlier than now
      lane.aliveCheck = next ?? at + down;
    }
    if ((r.priority ?? 0) > 0) lane.alive.set(identity, at);
    else if (lane.alive.delete(identity)) gone = at;
    if (lane.alive.size >= 2) {
      if (!lane.split) lane.split = { file: lane.file, vrid: lane.vrid, start: at, end: at, first: advertEvidence(r, at), peak: 0, senders: new Set(), adverts: 0 };
      lane.split.end = at;
      lane.split.adverts++;
      for (const id of lane.alive.keys()) lane.split.senders.add(id);
    } else if (lane.split) {
      if (gone !== undefined && gone < lane.split.end) lane.split.end = gone;
      this.flushSplit(lane);
    }
  }

  private closeBucket(lane: Lane, b: NonNullable<Lane['bucket']>, next: bigint | null): void {
    const width = lane.intervalNs;
    // adverts come once per interval plus scheduling jitter: the next bucket starts a hair more than one interval
    // after this one's last advert (measured in samples/ah-auth: 1.0004 s at advert_int 1), and is still the same run
    const reach = width + width / 2n;
    const expected = Math.max(1, b.identities.size);
    const stormy = b.count >= 10 && b.count > 4 * expected;
    // intervals end at their last advert, not at the bucket's edge (which may lie past the end of the capture)
    const end = b.last;
    const gapTooLong = next !== null && next - end > width;
    if (stormy) {
      if (lane.storm && b.start - lane.storm.end <= reach) {
        lane.storm.end = end;
        lane.storm.peak = Math.max(lane.storm.peak, b.count);
        lane.storm.adverts += b.count;
      } else {
        if (lane.storm) this.storms.push(lane.storm);
        lane.storm = { file: lane.file, vrid: lane.vrid, start: b.start, end, first: b.first, peak: b.count, senders: new Set(b.identities), adverts: b.count };
      }
      for (const i of b.identities) lane.storm!.senders.add(i);
    }
    if (gapTooLong || !stormy) {
      if (lane.storm && (gapTooLong || b.start - lane.storm.end > reach)) {
        this.storms.push(lane.storm);
        lane.storm = undefined;
      }
    }
  }

  private flushSplit(lane: Lane): void {
    const s = lane.split;
    if (s && s.end - s.start >= lane.three && this.splits.length < MAX_LIST) this.splits.push(s);
    lane.split = undefined;
  }

  /** End of the stream: open buckets, storms, splits and pending changes are settled. */
  finish(): void {
    for (const lane of this.lanes.values()) {
      if (lane.bucket) this.closeBucket(lane, lane.bucket, null);
      if (lane.storm) this.storms.push(lane.storm);
      lane.storm = undefined;
      // at the end nobody has been dropped for silence yet: the split lasted only while both were advertising
      if (lane.split && lane.alive.size) lane.split.end = [...lane.alive.values(), lane.split.end].reduce((a, b) => (a < b ? a : b));
      this.flushSplit(lane);
      this.settleAtEnd(lane);
    }
  }
}
