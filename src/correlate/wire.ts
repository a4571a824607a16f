import { captureLocator, type GarpRecord, type UnsolicitedNaRecord, type VrrpAdvertRecord } from '../model/records.js';
import type { Evidence } from '../report/model.js';
import type { TimelineCollector } from './timeline.js';
import type { Resolved, Topology } from './topology.js';
import { CopyFilter } from '../sources/capture/copies.js';

const SEC = 1_000_000_000n;

/** One advert as evidence: the file and frame, and what tcpdump would show (never the auth string). */
export function advertEvidence(r: VrrpAdvertRecord, at: bigint): Evidence {
  let t = `${r.src} > ${r.dst}: VRRPv${r.version}, vrid ${r.vrid ?? '?'}, prio ${r.priority ?? '?'}`;
  if (r.interval !== undefined) t += `, intvl ${r.interval}${r.intervalUnit}`;
  if (r.addresses) t += `, addrs ${r.addresses.join(',') || '-'}`;
  t += `, cksum ${r.checksumStatus}`;
  if (r.srcMac) t += `, mac ${r.srcMac}`;
  if (r.direction) t += `, ${r.direction}`;
  return { file: r.file, locator: captureLocator(r), at, text: t };
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
  groups: Map<string, SenderGroup>;
  /** the sender identity that was advertising last */
  lastIdentity?: string;
  /** each sender identity's latest advert, and the latest advert of all */
  lastAt: Map<string, bigint>;
  newest: bigint;
  pending?: WireChange;
  intervalNs: bigint;
  bucket: { start: bigint; last: bigint; count: number; identities: Set<string>; first: Evidence } | null;
  storm?: Interval;
  /** each sender still advertising (priority > 0) and its latest advert: two alive at once is a split brain */
  alive: Map<string, bigint>;
  split?: Interval;
}

const MAX_GROUPS_PER_LANE = 64;
const MAX_LIST = 10_000;

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

  garp(r: GarpRecord | UnsolicitedNaRecord, at: bigint, host: string | null): void {
    const address = r.kind === 'garp' ? r.address : r.target;
    const mac = r.kind === 'garp' ? r.senderMac : r.targetMac ?? r.srcMac;
    if (this.garps.length < MAX_LIST) this.garps.push({ at, file: r.file, frame: r.frame, locator: captureLocator(r), address, mac });
    this.timeline.run(`garp|${r.file}|${address}|${mac}`, 3n * SEC, () => ({
      at, host, source: 'capture', kind: r.kind === 'garp' ? 'gratuitous-arp' : 'unsolicited-na',
      summary: `${r.kind === 'garp' ? 'gratuitous ARP' : 'unsolicited NA'} for ${address}${mac ? ` is-at ${mac}` : ''}`,
      file: r.file, locator: captureLocator(r),
    }), at);
  }

  advert(r: VrrpAdvertRecord, at: bigint, host: string | null): void {
    if (r.vrid === undefined || r.type !== 1) return;
    if (this.secondCopy(r, at)) return;
    const laneKey = `${r.file}|${r.vrid}`;
    let lane = this.lanes.get(laneKey);
    if (!lane) {
      lane = { file: r.file, vrid: r.vrid, groups: new Map(), lastAt: new Map(), newest: at, intervalNs: SEC, bucket: null, alive: new Map() };
      this.lanes.set(laneKey, lane);
    }
    if (r.interval) lane.intervalNs = r.intervalUnit === 'cs' ? BigInt(r.interval) * 10_000_000n : BigInt(r.interval) * SEC;
    const res = this.topo.resolve(r);
    const identity = res.router ?? res.original;
    const ev = advertEvidence(r, at);
    let g = lane.groups.get(r.src);
    if (!g && lane.groups.size < MAX_GROUPS_PER_LANE) {
      g = {
        file: r.file, host, vrid: r.vrid, src: r.src, dst: r.dst, resolved: res, first: ev, last: ev, count: 0, macs: new Set(), priorities: new Set(),
        intervals: new Set(), vips: new Set(), auth: new Set(), sentByUs: 0, firstAfter: new Map(),
      };
      lane.groups.set(r.src, g);
    }
    if (g) {
      // the resolution can improve as evidence arrives (a MAC learned later); keep the most specific
      if (res.translated && !g.resolved.translated) g.resolved = res;
      g.last = ev;
      g.count++;
      if (r.srcMac) g.macs.add(r.srcMac);
      if (r.priority !== undefined) g.priorities.add(r.priority);
      if (r.interval !== undefined) g.intervals.add(`${r.interval}${r.intervalUnit}`);
      if (r.addresses) g.vips.add(r.addresses.join(','));
      if (r.authData !== undefined) g.auth.add(r.authData);
      if (r.checksumStatus === 'bad' && r.v3PartialSum !== undefined && g.v3Partial === undefined) g.v3Partial = r.v3PartialSum;
      if (r.direction === 'sent-by-us') g.sentByUs++;
      for (const other of lane.groups.values()) {
        if (other === g) continue;
        // we just sent: the other's "first advert after ours" starts again; ours after theirs is this one, if unset
        other.firstAfter.set(g.src, null);
        if (other.count > 0 && !g.firstAfter.get(other.src)) g.firstAfter.set(other.src, ev);
      }
      // a packet a host's own capture marks as sent by it carries that host's MAC, translated or not
      if (host && r.direction === 'sent-by-us' && r.srcMac) {
        this.topo.addMac(host, r.srcMac, { how: 'capture', evidence: ev });
      } else if (!res.translated && res.router && r.srcMac && !r.direction) {
        this.topo.addMac(res.router, r.srcMac, { how: 'capture', evidence: ev });
      }
    }
    const quietBefore = lane.lastAt.get(identity);
    if (res.router && (quietBefore === undefined || at - quietBefore > 3n * lane.intervalNs) && (r.priority ?? 0) > 0) {
      if (this.starts.length < MAX_LIST) this.starts.push({ router: res.router, vrid: r.vrid, at, evidence: ev });
    }
    lane.lastAt.set(identity, at);
    if (at > lane.newest) lane.newest = at;
    this.timelineEntry(r, at, host, res, lane);
    this.masterChange(lane, identity, r, at, ev);
    this.rates(lane, identity, r, at, ev);
  }

  private timelineEntry(r: VrrpAdvertRecord, at: bigint, host: string | null, res: Resolved, lane: Lane): void {
    this.timeline.run(`adv|${r.file}|${r.vrid}|${r.src}|${r.priority}`, 3n * lane.intervalNs, () => ({
      at, host, source: 'capture', kind: res.translated ? 'advert-translated' : 'advert', vrid: r.vrid,
      summary: `VRRPv${r.version} vrid ${r.vrid} prio ${r.priority ?? '?'} from ${r.src}` +
        (res.translated ? ` (translated; really ${res.original}${res.router ? `, ${res.router}` : ''})` : res.router ? ` (${res.router})` : '') +
        (r.checksumStatus === 'bad' ? ', checksum bad' : ''),
      file: r.file, locator: captureLocator(r),
    }), at);
  }

  /** A new sender is a master change once the old one stays silent for three intervals after it. */
  private masterChange(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint, ev: Evidence): void {
    const p = lane.pending;
    if (p && at > p.pendingUntil) {
      if (this.changes.length < MAX_LIST) this.changes.push(p);
      lane.pending = undefined;
    } else if (p && identity === p.from && (r.priority ?? 0) > 0) {
      lane.pending = undefined; // contested: the old sender is still there (a split brain or a preemption race)
      lane.lastIdentity = identity;
      return;
    }
    if ((r.priority ?? 0) === 0) return; // a resignation is not a new master
    if (lane.lastIdentity !== undefined && identity !== lane.lastIdentity && !lane.pending) {
      lane.pending = { file: r.file, vrid: r.vrid!, at, from: lane.lastIdentity, to: identity, evidence: ev, pendingUntil: at + 3n * lane.intervalNs };
    }
    if (!lane.pending || lane.pending.to === identity) lane.lastIdentity = identity;
  }

  /** an advert seen again on another interface of an `-i any` capture: counted per file for the inputs summary */
  private secondCopy(r: VrrpAdvertRecord, at: bigint): boolean {
    if (!this.copyFilter.isCopy(r, at)) return false;
    this.copies.set(r.file, (this.copies.get(r.file) ?? 0) + 1);
    return true;
  }

  /** Per advert interval: the rate (storm); and who is still advertising (split brain). */
  private rates(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint, ev: Evidence): void {
    const width = lane.intervalNs > 0n ? lane.intervalNs : SEC;
    this.twoMasters(lane, identity, r, at, ev, width);
    const b = lane.bucket;
    if (b && at - b.start < width) {
      b.count++;
      b.last = at;
      if ((r.priority ?? 0) > 0) b.identities.add(identity);
      return;
    }
    if (b) this.closeBucket(lane, b, at);
    lane.bucket = { start: at, last: at, count: 1, identities: new Set((r.priority ?? 0) > 0 ? [identity] : []), first: ev };
  }

  /**
   * A sender counts as master until it resigns (priority 0) or falls silent for 3 intervals — keepalived's own master
   * down interval, so one skipped advert or timer jitter does not end a split; two such senders at once for three
   * intervals or more is a split brain (less is a preemption handing over).
   */
  private twoMasters(lane: Lane, identity: string, r: VrrpAdvertRecord, at: bigint, ev: Evidence, width: bigint): void {
    const down = 3n * width;
    // when the sender that went away last advertised: the split ended there, not when the silence was noticed
    let gone: bigint | undefined;
    for (const [id, last] of lane.alive) {
      if (at - last <= down) continue;
      lane.alive.delete(id);
      if (gone === undefined || last > gone) gone = last;
    }
    if ((r.priority ?? 0) > 0) lane.alive.set(identity, at);
    else if (lane.alive.delete(identity)) gone = at;
    if (lane.alive.size >= 2) {
      if (!lane.split) lane.split = { file: lane.file, vrid: lane.vrid, start: at, end: at, first: ev, peak: 0, senders: new Set(), adverts: 0 };
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
    if (s && s.end - s.start >= 3n * lane.intervalNs && this.splits.length < MAX_LIST) this.splits.push(s);
    lane.split = undefined;
  }

  /** End of the stream: open buckets, storms, splits and pending changes are settled. */
  finish(): void {
    for (const lane of this.lanes.values()) {
      if (lane.bucket) this.closeBucket(lane, lane.bucket, null);
      if (lane.storm) this.storms.push(lane.storm);
      lane.storm = undefined;
      this.flushSplit(lane);
      // a change at the very end stands only if the capture ran long enough to see the old sender stay silent
      if (lane.pending && lane.newest >= lane.pending.pendingUntil && this.changes.length < MAX_LIST) this.changes.push(lane.pending);
      lane.pending = undefined;
    }
  }
}
