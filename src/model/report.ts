/**
 * The report model: one object every renderer (text, markdown, JSON, CSV) draws from. Its JSON form is the contract
 * in ../shared/DESIGN.md (schema vrrp-forensics/report@1): fields may be added, never renamed or dropped.
 * Times are ns since epoch here; renderers turn them into RFC 3339 (JSON) or the user's zone (text).
 */
import type { SkippedFrames } from './records.js';
import type { BirthCause, Contradiction, EntryLife, Exhaustion, FirewallDrop, HostEndState, LinkDown, RulesetShift } from './story.js';

export const SCHEMA = 'vrrp-forensics/report@1';

export type Severity = 'critical' | 'warning' | 'info';
export type EvidenceSource = 'capture' | 'conntrack' | 'syslog' | 'config';

export interface Evidence {
  file: string;
  /** "frame 7", "line 3" */
  locator: string;
  at: bigint | null;
  text: string;
}

/**
 * Where a host name came from, strongest first: --host, the syslog hostname, keepalived.conf's router_id, a capture's
 * own adverts leaving from a keepalived.conf's address, the evidence beside the file (`neighbour`), a host named in
 * the file's name, and the folder's name only.
 */
export type HostSource = 'flag' | 'syslog' | 'router_id' | 'address' | 'neighbour' | 'file-name' | 'folder' | 'bundle';

/** One folder's files and the host(s) they were given: the table at the top of the inputs. */
export interface HostFolder {
  folder: string;
  host: string | null;
  from: HostSource | null;
  /** the file whose evidence gave the name */
  via?: string;
  weak: boolean;
  files: number;
}

export interface InputSummary {
  path: string;
  kind: 'capture' | 'conntrack' | 'syslog' | 'keepalived-conf' | 'iptables' | 'unknown';
  format: string | null;
  host: string | null;
  /** where the host name came from */
  hostFrom?: HostSource;
  /** the file whose evidence gave the name (neighbour, address, another name of the same machine) */
  hostVia?: string;
  /** the name stands on a file or folder name alone (a guess: warned about) */
  hostWeak?: boolean;
  records: number;
  first: bigint | null;
  last: bigint | null;
  problems: { locator: string; message: string; severity: string; code: string }[];
  /** what the analysis noted about the file, as facts (the renderers word them; JSON shows them as `note`) */
  notes?: InputNote[];
  /** a log's messages that another log of the same host also holds (same text and time): counted once, in that log */
  folded?: { keptIn: string; messages: number }[];
  /** the zone its zone-less times were read in (RFC 3164 logs, iptables-save "Generated on") */
  zone?: string;
  /** year-less logs: where the year came from */
  year?: { first: number; source: string; weak: boolean; rollovers: number };
  /** a capture's frames of a framing not decoded (they might have held VRRP): a warning, worded at the edge */
  undecoded?: { frames: number; skipped: SkippedFrames[] };
  /** records of the whole analysis that arrived out of time order beyond the reorder window (a warning) */
  outOfOrder?: number;
}

/** One thing noted about an input, as a fact. */
export type InputNote =
  /** the folder walk passed over it (a FIFO, a link out of the tree, …) */
  | { kind: 'not-read'; reason: string }
  /** found in a folder, but no evidence this tool reads */
  | { kind: 'not-evidence'; reason: string }
  /** a saved ruleset without iptables-save's own header: where its time came from */
  | { kind: 'saved-at'; from: 'first-line' | 'file-name' | 'mtime' }
  /** a conntrack snapshot that holds no VRRP or AH entry (`entries` 0: the table was empty) */
  | { kind: 'snapshot-without-vrrp'; entries: number }
  /** adverts a `tcpdump -i any` capture saw a second time on another interface, counted once */
  | { kind: 'advert-copies'; adverts: number }
  /** messages also in another log of the same host, counted once there (InputSummary.folded says which) */
  | { kind: 'folded' };

export interface RouterSummary {
  name: string;
  addresses: string[];
  macs: string[];
  vrids: number[];
  /** addresses its adverts were seen leaving with that are not its own */
  translatedTo: string[];
}

export interface Transition {
  at: bigint;
  host: string | null;
  instance: string | null;
  from: string | null;
  to: string;
  file: string;
  line: number;
  /** why, where the evidence shows it (JSON: in words) */
  reason?: Reason;
  reasonEvidence?: Evidence[];
}

/** A peer a reason names: its address on the wire, whose it is, and the real sender behind a translated one. */
export interface Peer {
  /** absent when keepalived's message named none */
  address?: string;
  /** the router that owns the address */
  owner?: string;
  /** the address is a known translation: the real source and its router, where known */
  translated?: { original?: string; router?: string };
}

/**
 * Why a translated AH advert fails at the peer (keepalived's message only says "fields mutation or bad password"): the
 * words a reason and a split brain's cause share (the cause is still written by the engine).
 */
export const AH_WHY = 'its HMAC covers the IP source address, which NAT rewrote';

/** Why a peer's adverts never counted: keepalived dropped them before the election. */
export type AdvertDrop =
  /** "Invalid VRRPv3 checksum": the checksum covers the source address, which NAT rewrote */
  | { by: 'checksum'; version: number; peer?: Peer }
  /** IPSEC-AH: the HMAC covers the source address, which NAT rewrote */
  | { by: 'ah' }
  /** the source is not one of the instance's unicast peers */
  | { by: 'not-unicast-peer'; peer: Peer };

/**
 * Why an instance changed state, by VRRP's election rules applied to what keepalived logged just before (see
 * correlate/explain.ts); worded at the edge.
 */
export type Reason =
  | { kind: 'start-up' }
  /** a master heard a higher priority and yielded; `scriptPriority`: a check script had changed our priority to it */
  | { kind: 'higher-priority'; peer: Peer; peerPriority?: number; ownPriority?: number; scriptPriority?: number | string }
  /**
   * equal priorities, the tie broken by source address: `lost` (the peer won it), `higher-address` (keepalived said the
   * peer has the higher address), `won` (the peer's address compares lower than ours)
   */
  | { kind: 'tie-break'; outcome: 'lost' | 'higher-address' | 'won'; priority?: number; peer: Peer }
  /** a priority-0 advert: `self` sent one (stopping), or the master's was received */
  | { kind: 'resignation'; by: 'self' | 'master' }
  /**
   * no advert from a master within the master-down interval; `dropped`: the master's adverts were rejected;
   * `after`: what the evidence shows silenced the master (a cause other than NAT)
   */
  | { kind: 'advert-timeout'; dropped?: AdvertDrop; after?: TimeoutCause }
  /** the master's adverts were rejected, so it was never heard (no timeout logged) */
  | { kind: 'never-heard'; dropped: AdvertDrop }
  /** took over from a master advertising a lower priority; `discarded`: its adverts discarded before the timeout */
  | { kind: 'preempted'; peer: Peer; peerPriority?: number; discarded?: number }
  | { kind: 'interface-down'; interface?: string }
  | { kind: 'script-failed'; script?: string };

/**
 * What silenced the master before a backup's advert timeout: its link went down (`peer-link-down`), or a saved
 * firewall rule of the backup dropped the master's adverts (`firewall-drop`, the rule cited).
 */
export type TimeoutCause =
  | { kind: 'peer-link-down'; host: string; interface: string }
  | { kind: 'firewall-drop'; file: string; line: number };

export interface ConntrackCause {
  file: string;
  line: number;
  text: string;
  original: { src: string; dst: string; protocol: number };
  reply: { src: string; dst: string };
  createdAt: bigint | null;
  createdAtFrom: 'event' | 'delta-time' | 'ktimestamp' | 'estimate' | null;
  createdAtNote?: string;
  /** born-with-first-advert | born-earlier | born-later | unknown */
  relation: string;
  lastSeen: { file: string; line: number; at: bigint | null };
  destroyed?: { file: string; line: number; at: bigint | null; byUser?: string };
  /** later entries of the same flow, translated the same way, that carried the translation on after this one ended */
  renewals?: { file: string; line: number; at: bigint | null; destroyed?: { file: string; line: number; at: bigint | null; byUser?: string } }[];
  persistence?: string;
  rule?: { file: string; line: number; text: string; decision: string };
  ruleChanges?: { file: string; line: number | null; at: bigint | null; decision: string; note: string }[];
  /** which precision decided `relation`: an event's exact time, or a whole second (ktimestamp ctime, delta-time) */
  relationPrecision?: 'exact' | 'second';
  /** the entry's life as the evidence shows it (refreshed, idle until it expires, ended) */
  life?: EntryLife;
  /** what let it be born: the untranslated entry of the same flow deleted or expired just before */
  birthCause?: BirthCause;
  /** the saved ruleset changed between the snapshot in force at its birth and a later one, for these adverts */
  rulesetShift?: RulesetShift;
}

/**
 * How sure a translation finding is, from what the evidence alone shows:
 * proven — a record that cannot be read otherwise (a conntrack entry whose reply tuple names a third address, a
 *   VRRPv3 checksum that holds only for another source, the adverts captured leaving the router itself);
 * strong — the same sender (real MAC, priority, VIPs, auth, interval) under an address that is not its own, or a
 *   known SNAT target;
 * suggestive — a sender alike in everything the link layer does not show, or a peer's log naming an address that is
 *   no router's.
 */
export type Confidence = 'proven' | 'strong' | 'suggestive';

/** What a translation finding rests on (each alone can make one; several together raise the confidence). */
export type Basis =
  /** an advert on the wire whose source is a known translation (SNAT target, conntrack reply) of a router's address */
  | 'capture-known-translation'
  /** the same sender (MAC, priority, VIPs, auth, interval) seen under an address not its own */
  | 'capture-same-sender'
  /** a VRRPv3 checksum that fails for the source on the wire and holds for another address */
  | 'capture-v3-checksum'
  /** the translated adverts captured leaving the router itself (sent-by-us) */
  | 'capture-sent-by-us'
  /** a conntrack entry for VRRP/AH whose reply tuple names an address that is neither endpoint */
  | 'conntrack-entry'
  /** a SNAT rule in the router's saved ruleset that VRRP meets */
  | 'snat-rule'
  /** a peer's keepalived naming an advert source that is no router's address */
  | 'peer-log';

/** Checks an analysis makes; which ones the evidence given allowed (Report.coverage). */
export type Check =
  /** which source address each sender's adverts had on the wire — needs a capture */
  | 'wire-sources'
  /** the conntrack entry behind a translation, when it was born, whether it persists — needs conntrack dumps or events */
  | 'conntrack-entry'
  /** the nat rule in force when the entry was born, and the remedy against the saved ruleset — needs a ruleset */
  | 'rule-in-force'
  /** keepalived's own state changes and why — needs logs */
  | 'transitions'
  /** the routers' configured addresses, priorities and auth — needs keepalived.conf */
  | 'configuration'
  /** what the other router saw: a second host's evidence */
  | 'peer-view';

export interface Coverage {
  /** none: nothing readable was found; thin: one kind of source or one host; broad: otherwise */
  evidence: 'none' | 'thin' | 'broad';
  hosts: number;
  sources: InputSummary['kind'][];
  checked: Check[];
  unchecked: Check[];
}

export interface Finding {
  id: string;
  kind: 'vrrp-source-translated' | 'split-brain' | 'advert-storm' | 'master-change' | 'clock-offset' | 'resignation' | 'carp-source-translated'
    | 'conntrack-exhaustion' | 'contradiction' | 'link-down' | 'firewall-drop';
  severity: Severity;
  vrid: number | null;
  summary: string;
  router: string | null;
  originalSource?: string;
  translatedSource?: string;
  firstSeen?: bigint;
  lastSeen?: bigint;
  revertedAt?: bigint | null;
  adverts?: number;
  /** what the translation did to elections, as far as the evidence shows: changed one; seen by the peer but the
   *  election went by priority; or no log/capture of an election to tell (only with a translation finding) */
  election?: 'changed' | 'split-brain' | 'by-priority' | 'not-seen';
  /** ids of the findings this one led to (a translation → the split brain it caused) */
  led?: string[];
  /** the election effect seen before the translation was found to have split the brain */
  electionBeforeSplit?: 'changed' | 'by-priority' | 'not-seen';
  /** the id of the finding that caused this one (a split brain → the translation behind it) */
  causedBy?: string;
  /** further findings that caused it too (a split brain both of whose routers' adverts were translated) */
  alsoCausedBy?: string[];
  start?: bigint;
  end?: bigint | null;
  hosts?: string[];
  peakRate?: number;
  /** translation findings: what shows the translated sender is the router itself (JSON: the facts in words) */
  sameRouter?: SameRouterFact[];
  recoveredSource?: string;
  cause?: string;
  conntrack?: ConntrackCause | null;
  transitions?: Transition[];
  evidence: Evidence[];
  remedy?: string[];
  /**
   * master-change seen on the wire: the rule that decided it (old-sender-silent, preempted, after-resignation,
   * higher-priority-at-capture-end — see WireChangeRule) and the priorities that rule compared
   */
  changeRule?: WireChangeRule;
  fromPriority?: number;
  toPriority?: number;
  /** master-change from a log: why (the summary is then the sentence before it; the renderers add its words) */
  reason?: Reason;
  /** carp-source-translated: the CARP vhid (CARP is not VRRP: vrid stays null) */
  vhid?: number;
  /** translation findings: how sure, and on what (see Confidence, Basis) */
  confidence?: Confidence;
  basis?: Basis[];
  /** conntrack-exhaustion: the host's full table and what it did to VRRP */
  exhaustion?: Exhaustion;
  /** link-down: a host's link went down, its FAULT and the peer's takeover */
  linkDown?: LinkDown;
  /** firewall-drop: the saved rule that drops the peer's adverts, and the takeover it caused */
  firewallDrop?: FirewallDrop;
  /** contradiction: both sides cited, and the hypotheses that could explain it */
  contradiction?: Contradiction;
  /** split-brain: the findings (contradictions) that explain why a side did not yield */
  explainedBy?: string[];
  /** the id of the finding this one is about (a contradiction → the translation it questions) */
  about?: string;
}

/** One fact showing that a translated sender is the router itself with a rewritten source, not a new master. */
export type SameRouterFact =
  /** the adverts' link-layer source is the router's own MAC (`of`: the router, or its real address) */
  | { kind: 'mac'; macs: string[]; of: string; file: string }
  /** captured leaving the router itself (pcapng/SLL direction: sent-by-us) */
  | { kind: 'sent-by-us'; host: string | null; file: string; adverts: number }
  /** the same running priorities as the real address's adverts; `stopped`: priority 0 seen when it stopped */
  | { kind: 'priority'; priorities: number[]; original: string; file: string; stopped: boolean }
  | { kind: 'interval'; intervals: string[] }
  | { kind: 'vips'; vips: string[] }
  /** the same authentication string (never shown) */
  | { kind: 'auth' }
  /** the priority configured for the router in its keepalived.conf */
  | { kind: 'configured-priority'; priority: number; router: string | null; file: string; line: number }
  /** a VRRPv3 checksum that fails for the source on the wire and holds for the real address */
  | { kind: 'v3-checksum'; src: string; original: string }
  /** no gratuitous ARP from another MAC for the virtual addresses within 3 s after the flip */
  | { kind: 'no-foreign-garp' }
  /** keepalived on the router was MASTER at the time */
  | { kind: 'master'; router: string; since: bigint };

/**
 * Which rule decided that the mastership changed hands on the wire:
 * - `old-sender-silent`: the old sender stayed silent for three advert intervals after the new one's first advert;
 * - `preempted`: the new sender has the higher priority, the old one was still advertising when it began, and stopped
 *   within keepalived's master-down interval (3 × interval + skew) while the new one kept advertising;
 * - `after-resignation`: the old sender resigned (a priority-0 advert) and the new one took over;
 * - `higher-priority-at-capture-end`: the capture ended before the silence rule could be met, but the new sender has
 *   the higher priority and kept advertising after the old one's last advert.
 */
export type WireChangeRule = 'old-sender-silent' | 'preempted' | 'after-resignation' | 'higher-priority-at-capture-end';

/** A CARP speaker on the wire (OpenBSD/FreeBSD/pfSense CARP on IP protocol 112): listed, never a VRRP router. */
export interface CarpSpeaker {
  file: string;
  host: string | null;
  vhid: number;
  src: string;
  dst: string;
  adverts: number;
  advbase: number[];
  advskew: number[];
  demotion: number[];
  badChecksums: number;
  first: Evidence;
  last: Evidence;
  /** the member's address before NAT, when the source is a known SNAT target */
  translatedFrom?: string;
}

export interface TimelineEntry {
  at: bigint;
  host: string | null;
  source: EvidenceSource;
  kind: string;
  summary: string;
  file: string;
  locator: string;
  vrid?: number;
  /** an advert run: its source address on the wire (who the SVG timeline's sender lane is; JSON: in the summary) */
  src?: string;
  /** the collapsed count for runs of identical entries (adverts of one sender, repeated log lines) */
  repeat?: number;
  until?: bigint;
  /** gratuitous ARP / unsolicited NA: the address announced and the MAC it is said to be at */
  address?: string;
  mac?: string;
  /** a saved ruleset: what changed against the same host's previous snapshot */
  change?: RuleChange;
  /** an advert run: the priority it advertised */
  priority?: number;
}

/** The difference between two saved rulesets of one host, rule by rule. */
export interface RuleChange {
  /** the host's first snapshot: nothing to compare with */
  first: boolean;
  added: { table: string; text: string; line: number }[];
  removed: { table: string; text: string; line: number }[];
  /** rules in the newer snapshot */
  rules: number;
}

/** One host's keepalived state for one instance over a period (the HTML timeline's bands). */
export interface StateBand {
  host: string;
  instance: string;
  state: string;
  start: bigint;
  /** null: until the end of the evidence */
  end: bigint | null;
}

export interface ClockOffset {
  host: string;
  /** host clock minus capture clock, ns (median) */
  offsetNs: bigint;
  samples: number;
  applied: boolean;
  evidence: Evidence[];
  /** the offset is whole hours: log times read in the wrong zone, most likely (JSON: `note`, in words) */
  suspect?: 'wrong-zone';
}

export interface Report {
  schema: typeof SCHEMA;
  /** the display zone every printed time is in (JSON times stay UTC instants) */
  timezone: string;
  inputs: InputSummary[];
  routers: RouterSummary[];
  /** CARP speakers seen in the captures (absent when none) */
  carp?: CarpSpeaker[];
  clocks: ClockOffset[];
  findings: Finding[];
  /** keepalived state per host and instance over time, from the logs */
  states: StateBand[];
  timeline: TimelineEntry[];
  /** timeline entries not kept (the cap keeps memory flat) */
  timelineDropped: number;
  secretsShown: boolean;
  /** empty files met in the given folders: counted, not listed */
  emptyFiles?: number;
  /** folder → host: which host each folder's files were given and why */
  hostFolders?: HostFolder[];
  /**
   * the inputs are several incidents (spans of their VRRP evidence, as batch would group them), analysed together:
   * a warning shown before the verdict (JSON: `warnings`); inBatch — the report is one of batch's
   */
  incidents?: { spans: { first: bigint; last: bigint }[]; inBatch: boolean };
  /** the folder the report's paths are relative to (the inputs' common folder), as shown to the reader */
  root?: string;
  /** paths are absolute (--absolute-paths) rather than relative to `root` */
  absolutePaths?: boolean;
  /** what the evidence given allowed the analysis to check, and what not */
  coverage?: Coverage;
  /** where each host stood when the evidence ends (fixed, still translating, entry idle, …) and whether it needs a fix */
  endStates?: HostEndState[];
}

/** Exit status by the contract: 0 nothing above info, 1 findings, 2 an input could not be read at all. */
export function exitStatus(r: Report): 0 | 1 | 2 {
  // nothing readable is no all-clear
  if (r.coverage?.evidence === 'none') return 2;
  if (r.inputs.some((i) => i.records === 0 && i.problems.some((p) => p.severity === 'error'))) return 2;
  return r.findings.some((f) => f.severity !== 'info') ? 1 : 0;
}

/** A remedy line that starts so says the same step another way: the full report shows it, the one-screen verdict not. */
export const ALTERNATIVE = '# or, with nft: ';
