/**
 * What a conntrack dump or event log states, as types: an entry, its tuples and NAT class, a flow's life merged from
 * dumps and events, and what is known of the file read. The conntrack reader (sources/conntrack) builds them; the
 * engine and the report views read them, so they live here, below both.
 */
import type { ForensicError, Problem } from '../errors.js';

/** One conntrack entry as a dump or event line states it. */
export interface Tuple {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** icmp type/code/id */
  type?: number;
  code?: number;
  id?: number;
  /** gre keys */
  srckey?: string;
  dstkey?: string;
}

export interface Counters {
  packets: number;
  bytes: number;
}

export type CtEvent = 'NEW' | 'UPDATE' | 'DESTROY';

export interface ConntrackEntry {
  file: string;
  line: number;
  /** the line as read, for evidence */
  text: string;
  event?: CtEvent;
  /** `-E -o timestamp` prefix or XML <when> (ns since epoch) */
  eventTime?: bigint;
  family?: 'ipv4' | 'ipv6';
  protoName: string;
  protoNum: number;
  /** seconds left; absent for offloaded flows */
  timeout?: number;
  state?: string;
  orig: Tuple;
  reply: Tuple;
  origCounters?: Counters;
  replyCounters?: Counters;
  unreplied: boolean;
  assured: boolean;
  offload?: 'OFFLOAD' | 'HW_OFFLOAD';
  mark?: number;
  zone?: number;
  zoneOrig?: number;
  zoneReply?: number;
  secctx?: string;
  secmark?: number;
  /** seconds since creation (nf_conntrack_timestamp) */
  deltaTime?: number;
  /** `-o ktimestamp` start/stop as printed (ctime, local time of the dumping host) */
  startText?: string;
  stopText?: string;
  /** XML <timestamp><start> — exact ns */
  startNs?: bigint;
  stopNs?: bigint;
  helper?: string;
  ctId?: number;
  labels?: string[];
  userspace?: { portid: number; progname?: string };
  /** when this line was true: its event time, else its file's dump time */
  observedAt?: bigint;
  observedFrom?: 'event' | 'file-content' | 'sos-manifest' | 'file-name' | 'flag' | 'mtime';
}

export type Translation = 'none' | 'snat' | 'dnat' | 'snat+dnat' | 'snat-swapped';

export interface NatClass {
  kind: Translation;
  /** the source the packets really left with (SNAT) */
  translatedSource?: string;
  /** the destination they really went to (DNAT) */
  translatedDestination?: string;
}

export type BirthEvidence = 'event' | 'ktimestamp' | 'delta-time' | 'destroy-lifetime' | 'bounds';

export interface Citation {
  file: string;
  line: number;
}

export interface Birth extends Citation {
  /** best estimate (ns); for bounds: the latest possible time */
  at: bigint;
  from: BirthEvidence;
  /** delta-time has one-second resolution: born in (at − 1 s, at] */
  earliest?: bigint;
  /** how the time was reached, where the kind alone does not say it (worded at the edge) */
  detail?: BirthDetail;
}

/**
 * How a birth time was reached: no creation time at all (the first sighting bounds it), the dumping host's ctime
 * (1 s resolution), the lifetime a [DESTROY] gave, or the dump time less a delta-time (and where the dump time came from).
 */
export type BirthDetail =
  | { kind: 'no-creation-time' }
  | { kind: 'ctime' }
  | { kind: 'lifetime-at-destroy'; deltaS: number }
  | { kind: 'dump-minus-delta'; deltaS: number; dumpFrom: ConntrackEntry['observedFrom'] };

/**
 * The stale-VRRP pattern of a translated entry: it expired (its router fell silent longer than the generic timeout,
 * and it was destroyed), or every advert refreshes it far inside the timeout, so it never expires on its own — and,
 * when it did end, how (a user command or the kernel) and where.
 */
export type Staleness =
  | { kind: 'expired'; src: string; timeoutS: number; destroyed: Citation }
  | { kind: 'never-expires'; src: string; to: 'group' | 'unicast-peer'; timeoutS: number; translatedSource?: string; ended?: Citation & { byUser: boolean } };

export interface Sighting extends Citation {
  at?: bigint;
  atFrom?: ConntrackEntry['observedFrom'];
  event?: string;
  timeout?: number;
  packets?: number;
  bytes?: number;
}

/** One flow's life: every dump and event that showed it, merged (the same flow in five dumps is one entry). */
export interface FlowHistory {
  key: string;
  protoNum: number;
  protoName: string;
  family?: string;
  zone?: number;
  orig: Tuple;
  reply: Tuple;
  nat: NatClass;
  first: Sighting;
  last: Sighting;
  sightings: number;
  /** the last few sightings, for the timeout/counter trend (bounded) */
  recent: Sighting[];
  born?: Birth;
  /** estimated time of the last packet: dump time − (generic timeout − timeout left) */
  lastRefresh?: { at: bigint } & Citation;
  destroyed?: { at?: bigint; byUser?: string } & Citation;
  /** the generic timeout this entry had: its [NEW] event's timeout when there is one, else the configured one */
  timeoutS: number;
  /** the stale-VRRP pattern: it will never expire on its own — or, when it timed out, how (worded at the edge) */
  staleness?: Staleness;
}

export type DumpTimeSource = 'file-content' | 'sos-manifest' | 'file-name' | 'flag' | 'mtime';

export interface DumpTime {
  ns: bigint;
  source: DumpTimeSource;
  /** mtime is weak evidence: copying or untarring changes it */
  weak: boolean;
  /** where exactly the time was read (worded at the edge: report/conntrack-words.ts) */
  via: DumpTimeVia;
}

/**
 * Where a dump's time was read: a date line in it, the support bundle's collection time, the sos manifest's start of
 * the command that wrote it, its name, --at, or its mtime.
 */
export type DumpTimeVia =
  | { kind: 'date-line'; line: number }
  | { kind: 'sos-collected' }
  | { kind: 'sos-command'; plugin: string; command: string }
  | { kind: 'file-name' }
  | { kind: 'flag' }
  | { kind: 'mtime' };

export type ConntrackFormat =
  | '/proc/net/nf_conntrack'
  | '/proc/net/ip_conntrack'
  | 'conntrack -L'
  | 'conntrack -L -o extended'
  | 'conntrack -E'
  | 'conntrack -o xml';

export interface ConntrackInfo {
  file: string;
  format: ConntrackFormat | null;
  /** `-o` extras seen: timestamp, ktimestamp, id, labels */
  options: string[];
  gzip: boolean;
  bytes: number;
  lines: number;
  entries: number;
  dumpTime: DumpTime | null;
  problems: Problem[];
  error?: ForensicError;
}

