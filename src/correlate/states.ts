import type { Evidence, Transition } from '../model/report.js';
import type { KaEvent } from '../model/keepalived.js';
import { explainTransition } from './explain.js';
import type { TimelineCollector } from './timeline.js';
import type { Topology } from './topology.js';

const SEC = 1_000_000_000n;
const MAX_LIST = 10_000;
/** events kept per host and instance to explain the next transition */
const RECENT = 16;

export function logEvidence(e: KaEvent, at: bigint): Evidence {
  return { file: e.file, locator: `line ${e.line}`, at, text: `${e.host ?? ''} ${e.program}${e.pid !== undefined ? `[${e.pid}]` : ''}: ${e.message}`.trim() };
}

export interface MasterInterval {
  host: string;
  instance: string;
  vrid: number | null;
  start: bigint;
  end: bigint | null;
  startEvidence: Evidence;
  endEvidence?: Evidence;
}

export interface LogStorm {
  host: string;
  start: bigint;
  end: bigint;
  peak: number;
  lines: number;
  first: Evidence;
}

/** A run of adverts a host's keepalived dropped for one reason (lines at most REJECTION_GAP apart): who was deaf to whom. */
export interface Rejection {
  host: string;
  kind: 'invalid-checksum' | 'ah-rejected' | 'not-unicast-peer';
  /** the sender named by the message, when it names one (AH messages do not) */
  peer?: string;
  start: bigint;
  end: bigint;
  lines: number;
  first: Evidence;
  /** the first line's number in its file */
  firstLine: number;
}
const REJECTION_GAP = 10n * SEC;
/** a log message repeated within this is one timeline entry */
const RUN_GAP = 2n * SEC;

/** An advert source a host's keepalived named ("received advert from X …"): every address it heard adverts from. */
export interface NamedSource {
  host: string;
  address: string;
  instance: string | null;
  first: Evidence;
  last: Evidence;
  lines: number;
  /** the priorities keepalived said the adverts carried */
  priorities: Set<number>;
  /** keepalived dropped them (v3 checksum, not a unicast peer) */
  dropped: boolean;
}

/** A NamedSource whose last line is kept as its event and made evidence when asked (an object and a string per line). */
class Named implements NamedSource {
  lines = 0;
  readonly priorities = new Set<number>();
  dropped = false;
  constructor(
    readonly host: string,
    readonly address: string,
    readonly instance: string | null,
    readonly first: Evidence,
    public lastEvent: KaEvent,
    public lastAt: bigint,
  ) {}

  get last(): Evidence {
    return logEvidence(this.lastEvent, this.lastAt);
  }
}

/** message types that name the advert's source address in `peer` */
const NAMES_SOURCE = new Set(['higher-priority-advert', 'same-priority-higher-ip', 'lower-priority-advert', 'lower-priority-discarded', 'invalid-checksum', 'not-unicast-peer', 'vip-mismatch']);

/** "forcing new election" lines of one host and second; [from, to) the second's times (empty before 1970) */
interface StormBucket {
  sec: bigint;
  from: bigint;
  to: bigint;
  n: number;
  first: Evidence;
}

interface InstanceState {
  state: string | null;
  recent: { e: KaEvent; at: bigint }[];
  master?: MasterInterval;
  /** the state was set by its sync group's line: the instance's own line for the same state is the same change */
  byGroup?: boolean;
}

/**
 * Streaming state over keepalived's events from every host: each instance's state (so every transition has a
 * "from" and MASTER periods can be compared across hosts), the reason for each transition from the events just before
 * it, the addresses keepalived reports for its interfaces, and storms of "forcing new election" lines.
 */
export class LogDetector {
  readonly transitions: Transition[] = [];
  readonly masters: MasterInterval[] = [];
  readonly storms: LogStorm[] = [];
  /** keepalived stopping on a host (ends its state bands) */
  readonly stops: { host: string; at: bigint }[] = [];
  readonly rejections: Rejection[] = [];
  /** per host and address: the advert sources its keepalived named */
  readonly namedSources = new Map<string, NamedSource>();
  /** per host: its own addresses and the virtual addresses it announced, as its log says */
  readonly linkAddresses = new Map<string, Set<string>>();
  private readonly openRejection = new Map<string, Rejection>();
  private readonly inst = new Map<string, InstanceState>();
  private readonly stormBucket = new Map<string, StormBucket>();
  private readonly openStorm = new Map<string, LogStorm>();
  /** per host: message → its timeline run key, made once (a key string per line, hashed anew, was a storm's garbage) */
  private readonly runKeys = new Map<string, Map<string, string>>();

  constructor(
    private readonly topo: Topology,
    private readonly timeline: TimelineCollector,
    private readonly vridOf: (host: string, instance: string) => number | null,
    /** a vrrp_sync_group's instances on a host (from its keepalived.conf; none known without it) */
    private readonly membersOf: (host: string, group: string) => string[] = () => [],
  ) {}

  event(e: KaEvent, at: bigint, hostIn: string | null): void {
    const host = hostIn ?? e.host ?? '?';
    const f = e.fields;
    if (e.type === 'invalid-checksum' || e.type === 'ah-rejected' || e.type === 'not-unicast-peer') this.rejected(host, e.type, e, at);
    if (e.type === 'address-assigned' && f.address && !f.address.startsWith('fe80')) {
      this.topo.addAddress(host, f.address, { how: 'syslog', evidence: logEvidence(e, at) });
    }
    if (e.type === 'lower-priority-advert' && f.forcingElection) this.stormLine(host, e, at);
    if (f.peer && NAMES_SOURCE.has(e.type)) this.namedSource(host, e, at);
    const own = e.type === 'address-assigned' || e.type === 'garp-queued' || e.type === 'garp-sent' ? f.address : undefined;
    if (own && this.linkAddresses.size < MAX_LIST) this.linkAddresses.set(host, (this.linkAddresses.get(host) ?? new Set()).add(own));
    this.timeline.run(this.runKey(host, e.message), RUN_GAP, () => ({
      at, host, source: 'syslog', kind: e.type === 'state' ? 'state' : e.type, summary: e.message, file: e.file, locator: `line ${e.line}`,
      ...(f.instance && this.vridOf(host, f.instance) !== null ? { vrid: this.vridOf(host, f.instance)! } : {}),
    }), at);
    // keepalived's stop ends every instance's state (it logs no "Entering BACKUP" on the way out)
    if (e.type === 'stop' || e.type === 'stopped') {
      if (this.stops.length < MAX_LIST) this.stops.push({ host, at });
      for (const [k, s] of this.inst) if (k.startsWith(host + '|')) this.endMaster(s, at, logEvidence(e, at));
    }
    // a sync group's line changes the state of every instance in it (those already in that state are left alone)
    if (e.type === 'group-state' && f.group && f.state && !f.transition) {
      for (const m of this.membersOf(host, f.group)) {
        const s = this.stateOf(host, m);
        if (s.state === f.state) continue;
        this.enter(s, host, m, f.state, e, at);
        s.byGroup = true;
      }
      return;
    }
    if (!f.instance) return;
    const s = this.stateOf(host, f.instance);
    if (e.type === 'state' && f.state && !f.transition) {
      const same = s.byGroup && s.state === f.state;
      s.byGroup = false;
      if (!same) this.enter(s, host, f.instance, f.state, e, at);
      return;
    }
    s.recent.push({ e, at });
    if (s.recent.length > RECENT) s.recent.shift();
  }

  private runKey(host: string, message: string): string {
    let keys = this.runKeys.get(host);
    if (!keys) this.runKeys.set(host, (keys = new Map()));
    let key = keys.get(message);
    if (key === undefined) {
      if (keys.size >= 4096) keys.clear();
      keys.set(message, (key = `log|${host}|${message}`));
    }
    return key;
  }

  private stateOf(host: string, instance: string): InstanceState {
    // (the same instance line after line: its key string is not made and hashed again)
    const c = this.lastState;
    if (c && c.host === host && c.instance === instance) return c.s;
    const key = `${host}|${instance}`;
    let s = this.inst.get(key);
    if (!s) this.inst.set(key, (s = { state: null, recent: [] }));
    this.lastState = { host, instance, s };
    return s;
  }

  private lastState: { host: string; instance: string; s: InstanceState } | null = null;
  private lastNamed: { host: string; peer: string; n: Named } | null = null;

  /** One instance enters a state: a transition (with its reason from the events just before) and MASTER periods. */
  private enter(s: InstanceState, host: string, instance: string, state: NonNullable<KaEvent['fields']['state']>, e: KaEvent, at: bigint): void {
    const t: Transition = { at, host, instance, from: s.state, to: state, file: e.file, line: e.line };
    const why = explainTransition(state, s.recent.filter((r) => at - r.at <= 5n * SEC), this.topo, e);
    if (why) {
      t.reason = why.reason;
      t.reasonEvidence = why.evidence.map((r) => logEvidence(r.e, r.at));
    }
    if (this.transitions.length < MAX_LIST) this.transitions.push(t);
    if (state === 'MASTER' && !s.master) {
      s.master = { host, instance, vrid: this.vridOf(host, instance), start: at, end: null, startEvidence: logEvidence(e, at) };
    } else if (state !== 'MASTER') this.endMaster(s, at, logEvidence(e, at));
    s.state = state;
    s.recent = [];
  }

  private endMaster(s: InstanceState, at: bigint, ev: Evidence): void {
    if (!s.master) return;
    s.master.end = at;
    s.master.endEvidence = ev;
    if (this.masters.length < MAX_LIST) this.masters.push(s.master);
    s.master = undefined;
    s.state = null;
  }

  private rejected(host: string, kind: Rejection['kind'], e: KaEvent, at: bigint): void {
    const key = `${host}|${kind}|${e.fields.peer ?? ''}`;
    const open = this.openRejection.get(key);
    if (open && at - open.end <= REJECTION_GAP) {
      open.end = at;
      open.lines++;
      return;
    }
    if (this.rejections.length >= MAX_LIST) return;
    const r: Rejection = { host, kind, start: at, end: at, lines: 1, first: logEvidence(e, at), firstLine: e.line };
    if (e.fields.peer) r.peer = e.fields.peer;
    this.rejections.push(r);
    this.openRejection.set(key, r);
  }

  private namedSource(host: string, e: KaEvent, at: bigint): void {
    const peer = e.fields.peer!;
    const c = this.lastNamed;
    let n = c && c.host === host && c.peer === peer ? c.n : undefined;
    if (!n) {
      const address = peer.replace(/[:,]$/, '');
      const key = `${host}|${address}`;
      n = this.namedSources.get(key) as Named | undefined;
      if (!n) {
        if (this.namedSources.size >= MAX_LIST) return;
        n = new Named(host, address, e.fields.instance ?? null, logEvidence(e, at), e, at);
        this.namedSources.set(key, n);
      }
      this.lastNamed = { host, peer, n };
    }
    n.lastEvent = e;
    n.lastAt = at;
    n.lines++;
    if (e.fields.peerPriority !== undefined) n.priorities.add(e.fields.peerPriority);
    if (e.type === 'invalid-checksum' || e.type === 'not-unicast-peer') n.dropped = true;
  }

  /** "forcing new election" lines per second and host; ten or more a second is a storm. */
  private stormLine(host: string, e: KaEvent, at: bigint): void {
    const b = this.stormBucket.get(host);
    // (a time in the bucket's second needs no division: a BigInt per line in a storm)
    if (b && at >= b.from && at < b.to) {
      b.n++;
      return;
    }
    const sec = at / SEC;
    if (b && b.sec === sec) {
      b.n++;
      return;
    }
    if (b) this.closeStormBucket(host, b);
    // (before 1970 a second truncates towards zero: no range kept, the division made each time)
    const from = at >= 0n ? sec * SEC : 1n;
    this.stormBucket.set(host, { sec, from, to: at >= 0n ? from + SEC : 0n, n: 1, first: logEvidence(e, at) });
  }

  private closeStormBucket(host: string, b: StormBucket): void {
    const open = this.openStorm.get(host);
    if (b.n >= 10) {
      if (open && b.sec * SEC - open.end <= SEC) {
        open.end = (b.sec + 1n) * SEC;
        open.peak = Math.max(open.peak, b.n);
        open.lines += b.n;
        return;
      }
      if (open) this.storms.push(open);
      this.openStorm.set(host, { host, start: b.first.at!, end: (b.sec + 1n) * SEC, peak: b.n, lines: b.n, first: b.first });
    } else if (open && b.sec * SEC - open.end > SEC) {
      this.storms.push(open);
      this.openStorm.delete(host);
    }
  }

  finish(): void {
    for (const [host, b] of this.stormBucket) this.closeStormBucket(host, b);
    for (const s of this.openStorm.values()) this.storms.push(s);
    this.openStorm.clear();
    // MASTER until the end of the evidence
    for (const s of this.inst.values()) {
      if (s.master && this.masters.length < MAX_LIST) this.masters.push(s.master);
      s.master = undefined;
    }
    this.masters.sort((a, b) => (a.start < b.start ? -1 : 1));
  }
}
