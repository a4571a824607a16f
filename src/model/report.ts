/**
 * The report model: one object every renderer (text, markdown, JSON, CSV) draws from. Its JSON form is the contract
 * in ../shared/DESIGN.md (schema vrrp-forensics/report@1): fields may be added, never renamed or dropped.
 * Times are ns since epoch here; renderers turn them into RFC 3339 (JSON) or the user's zone (text).
 */
import type { BirthDetail, BirthEvidence, Staleness } from './conntrack.js';
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
  /** what the evidence itself says: the line as read, the packet as tcpdump shows it, keepalived's own words */
  text: string;
  /** a timeline line cited (an advert or announcement run): its fact, worded at the edge in place of `text` */
  fact?: TimelineFact;
  /** why it is cited, when that is more than the line itself (worded at the edge: report/evidence-words.ts) */
  role?: EvidenceRole;
}

/**
 * Why a piece of evidence is cited, with the facts the citation adds to the line: the first and last translated
 * adverts of a capture and the revert, a storm's start and a host's run of "forcing new election" lines, two senders
 * of one vrid, a peer's log naming a translated source, a router's MAC, a foreign gratuitous ARP near the flip, a
 * state transition (its host and the state it left), a conntrack entry, a line repeated N times, a keepalived.conf
 * instance, a ruleset's decision (or that no rule translates).
 */
export type EvidenceRole =
  | { kind: 'first-translated-advert' }
  | { kind: 'last-translated-advert'; adverts: number }
  | { kind: 'source-reverted' }
  | { kind: 'storm-start' }
  | { kind: 'election-lines'; host: string; lines: number; peak: number }
  | { kind: 'two-senders'; vrid: number; senders: string[] }
  | { kind: 'names-source'; host: string; address: string; lines: number }
  | { kind: 'last-such-line' }
  | { kind: 'router-mac'; router: string; mac: string }
  | { kind: 'foreign-garp'; address: string; mac: string }
  | { kind: 'transition'; host?: string; from?: string }
  | { kind: 'conntrack-entry' }
  | { kind: 'repeated'; times: number }
  | { kind: 'config-instance'; instance: string }
  | { kind: 'ruleset-decision'; decision: string }
  | { kind: 'no-translating-rule'; decision: string };

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
  problems: InputProblem[];
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

/**
 * A problem with an input: a reader's own one-line error or warning (`message`, as the reader wrote it with its code
 * and locator), or one the analysis states as a fact (`fact`, with the detector's reason as `message` for a file of no
 * known kind; worded at the edge, JSON: `message` in words, then `fact`).
 */
export interface InputProblem {
  locator: string;
  message?: string;
  severity: string;
  code: string;
  fact?: ProblemFact;
}

/** A problem the analysis states: the reader's problems past the first ones listed, or a file of no kind it reads. */
export type ProblemFact =
  | { kind: 'more-problems'; count: number }
  | { kind: 'not-evidence' }
  /** lines of this log counted twice: their copy in another log had left the folding early, more than `held` being held */
  | { kind: 'fold-bound'; lines: number; held: number };

/** A problem as every format lists it: in words. */
export type WordedProblem = Required<Pick<InputProblem, 'locator' | 'message' | 'severity' | 'code'>> & Pick<InputProblem, 'fact'>;

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
  /** how the birth time was reached, where its kind alone does not say (JSON: `createdAtNote` in words, then this) */
  createdAtDetail?: BirthDetail;
  /** born-with-first-advert | born-earlier | born-later | unknown */
  relation: string;
  lastSeen: { file: string; line: number; at: bigint | null };
  destroyed?: { file: string; line: number; at: bigint | null; byUser?: string };
  /** later entries of the same flow, translated the same way, that carried the translation on after this one ended */
  renewals?: { file: string; line: number; at: bigint | null; destroyed?: { file: string; line: number; at: bigint | null; byUser?: string } }[];
  /** why the translation persisted (JSON: `persistence` in words; given as `persistenceFact`) */
  persistence?: Persistence;
  rule?: { file: string; line: number; text: string; decision: string };
  /** later saved rulesets and what each did for the entry (JSON: each `note` in words; given as `effect`) */
  ruleChanges?: { file: string; line: number | null; at: bigint | null; decision: string; effect: RuleChangeEffect }[];
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
 * Why a translated entry kept translating: every advert refreshes it (`refreshed`), the reader's staleness of the
 * entry (`reader`: it never expires on its own, or it expired and how; JSON: its words as `text`, then `stale`), or deleting it did not help — the next advert made it again.
 */
export type Persistence =
  | { kind: 'refreshed'; timeoutS: number }
  | { kind: 'reader'; stale: Staleness }
  | { kind: 'renewed'; deleted: { file: string; line: number }; gapNs: bigint; next: { file: string; line: number }; times: number; end?: { file: string; line: number; byUser: boolean } };

/**
 * What a later saved ruleset did for an existing translated entry: it still translates (its VRRP rules miss AH
 * adverts: `ahOnly`), it exempts or untracks the adverts but came while the entry existed (`too-late`: nat rules are
 * consulted only for a new entry), or it decides so from then on.
 */
export type RuleChangeEffect =
  | { kind: 'still-translates'; ahOnly: boolean }
  | { kind: 'too-late'; untracked: boolean; ruleLine: number | null; until: bigint }
  | { kind: 'from-here'; ruleLine: number | null };

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

/** What every finding has: its id, how grave, where (vrid, router), its cited evidence, and what it led to. */
interface FindingBase {
  id: string;
  severity: Severity;
  vrid: number | null;
  router: string | null;
  evidence: Evidence[];
  /** ids of the findings this one led to (a translation → the split brain it caused) */
  led?: string[];
}

/** What a translation did to elections, as far as the evidence shows. */
export type ElectionEffect = 'changed' | 'split-brain' | 'by-priority' | 'not-seen';

/**
 * Where a translation was seen, and what the words say of it: on the wire (and, when its source never reverted, why
 * its adverts stopped), from a conntrack entry alone, or from a peer's keepalived naming the translated source.
 */
export type TranslationSighting =
  | { by: 'wire'; quiet?: { kind: 'left-master'; at: bigint; file: string; line: number } | { kind: 'stopped'; at: bigint } }
  | { by: 'conntrack'; protocol: number; dst: string }
  | { by: 'peer-log'; host: string; dropped: boolean };

/** A router's VRRP adverts leaving with a translated source (JSON kind `vrrp-source-translated`). */
export interface TranslationFinding extends FindingBase {
  kind: 'vrrp-source-translated';
  originalSource?: string;
  translatedSource: string;
  firstSeen?: bigint;
  lastSeen?: bigint;
  revertedAt: bigint | null;
  adverts?: number;
  /** what the translation did to elections: changed one; split the brain; seen by the peer but the election went by
   *  priority; or no log/capture of an election to tell */
  election: ElectionEffect;
  /** the election effect seen before the translation was found to have split the brain */
  electionBeforeSplit?: Exclude<ElectionEffect, 'split-brain'>;
  /** the peers whose keepalived named the translated source */
  hosts?: string[];
  /** what shows the translated sender is the router itself (JSON: the facts in words) */
  sameRouter?: SameRouterFact[];
  recoveredSource?: string;
  conntrack?: ConntrackCause | null;
  transitions: Transition[];
  remedy?: Remedy;
  /** how sure, and on what (see Confidence, Basis) */
  confidence?: Confidence;
  basis?: Basis[];
  /** where it was seen (JSON: worded into the summary; given as `sighting`) */
  sighting: TranslationSighting;
}

/**
 * Why the other master of a split brain did not yield to a translated sender: its own keepalived dropped the adverts
 * (cited), a peer's transitions say it dropped them as v3 checksums, the priorities differ and no line says why, or
 * equal priorities broke the tie on different address pairs.
 */
export type SplitWhy =
  | { kind: 'dropped'; host: string; by: 'invalid-checksum' | 'ah-rejected' | 'not-unicast-peer'; peer?: string; lines: number; start: bigint; end: bigint; file: string; line: number }
  | { kind: 'checksum-transitions' }
  | { kind: 'unequal-priorities'; priorities: (number | undefined)[] }
  | { kind: 'tie-break' };

/** The translation behind a split brain: whose adverts, under which address, and why the other master stayed. */
export interface SplitCause {
  /** the translated sender: its router, else its real address, else null (only the translated address is known) */
  sender: string | null;
  translated: string;
  why: SplitWhy;
}

/** Two masters at once, on the wire or in the logs. */
export interface SplitBrainFinding extends FindingBase {
  kind: 'split-brain';
  start: bigint;
  end: bigint | null;
  hosts: string[];
  /** why neither yielded, when a translation caused it (JSON: `cause` in words; given as `causeFact`) */
  cause?: SplitCause;
  /** the id of the finding that caused it (the first translation, or a full conntrack table) */
  causedBy?: string;
  /** further findings that caused it too (both routers' adverts translated) */
  alsoCausedBy?: string[];
  /** the findings (contradictions) that explain why a side did not yield */
  explainedBy?: string[];
  /**
   * seen from one host's logs alone: it was MASTER while its keepalived kept dropping another router's adverts — only
   * a master advertises, so two were master at once (`peer`: the sender keepalived named, when its message names one)
   */
  seenBy?: { by: 'dropped-adverts'; host: string; drop: 'invalid-checksum' | 'ah-rejected' | 'not-unicast-peer'; peer?: string; lines: number; file: string; line: number };
}

/** Adverts far above one per interval per sender (`seen: wire`), or a host's "forcing new election" lines. */
export interface StormFinding extends FindingBase {
  kind: 'advert-storm';
  start: bigint;
  end: bigint;
  peakRate: number;
  adverts?: number;
  hosts: string[];
  /** the log storm alone: how many "forcing new election" lines (absent for a storm seen on the wire) */
  lines?: number;
}

/**
 * How a master change was seen: keepalived's "Entering MASTER STATE" (`log`), a new sender on the wire (`wire`, with
 * the rule that decided it), or the changes left out of a flapping list (`flapping`).
 */
export type MasterChangeSeen =
  | { by: 'log'; host: string | null; instance: string | null }
  | { by: 'wire'; from: string; to: string }
  | { by: 'flapping'; omitted: number; total: number };

export interface MasterChangeFinding extends FindingBase {
  kind: 'master-change';
  start: bigint;
  end: bigint | null;
  /** master-change from a log: why (worded at the edge) */
  reason?: Reason;
  transitions?: Transition[];
  /** seen on the wire: the rule that decided it and the priorities that rule compared */
  changeRule?: WireChangeRule;
  fromPriority?: number;
  toPriority?: number;
  /** how it was seen (JSON: worded into the summary; given as `seen`) */
  seen: MasterChangeSeen;
}

/** A priority-0 advert on the wire: a master resigning. */
export interface ResignationFinding extends FindingBase {
  kind: 'resignation';
  start: bigint;
  end: null;
  /** the address the priority-0 advert came from */
  src: string;
}

/** CARP adverts whose source is a known SNAT target. */
export interface CarpFinding extends FindingBase {
  kind: 'carp-source-translated';
  /** the CARP vhid (CARP is not VRRP: vrid stays null) */
  vhid: number;
  originalSource?: string;
  translatedSource: string;
  firstSeen?: bigint;
  lastSeen?: bigint;
  adverts: number;
  /** the capture that showed them */
  file: string;
}

/** A host's full conntrack table, and what it did to VRRP. */
export interface ExhaustionFinding extends FindingBase {
  kind: 'conntrack-exhaustion';
  start: bigint;
  end: bigint;
  hosts: string[];
  exhaustion: Exhaustion;
  remedy: Remedy;
}

/** Two sources that disagree, both cited, and the hypotheses that could explain it. */
export interface ContradictionFinding extends FindingBase {
  kind: 'contradiction';
  start?: bigint;
  /** when the host left the state the contradiction is about (null: it did not, in the evidence) */
  end: bigint | null;
  hosts?: string[];
  contradiction: Contradiction;
  /** the id of the finding this one is about (the translation it questions, the exhaustion behind it) */
  about?: string;
}

/**
 * A backup took MASTER on an advert timeout from a master its own capture showed advertising just before, and nothing
 * in the evidence says why that master went silent: no priority-0 advert, no state change or stop in its logs, no link,
 * firewall, conntrack or translation finding around it. An unplanned failover, stated with what was seen last.
 */
export interface UnexplainedTakeover {
  /** the host that took over, and its "Entering MASTER STATE" line */
  host: string;
  instance: string | null;
  at: bigint;
  file: string;
  line: number;
  /**
   * the master that went silent: its source, its router where known, and where it was last heard — its last run of
   * adverts in the host's capture (`capture`: `lastAt` its last advert), else the host's own log line yielding to it
   * (`log`: `lastAt` that line's time, the last the evidence knows it advertising)
   */
  master: { src: string; router?: string; vrid: number | null; lastAt: bigint; heardBy: 'capture' | 'log'; adverts?: number; file: string; locator: string };
  /** the master's own logs: not in the evidence, or in it and silent between its last advert and the takeover */
  masterLogs: 'absent' | 'silent';
}

export interface UnexplainedTakeoverFinding extends FindingBase {
  kind: 'unexplained-takeover';
  start: bigint;
  end: null;
  hosts: string[];
  takeover: UnexplainedTakeover;
}

/**
 * One finding, by kind; each kind's facts are its own, and links to other findings are typed ids (causedBy,
 * alsoCausedBy, led, about). No words: report/finding-words.ts writes them. A new kind is one member here and one
 * file under correlate/findings/ (or a story module) that returns it.
 */
/** A host's link went down: its FAULT and the peer's takeover (a cause other than NAT). */
export interface LinkDownFinding extends FindingBase {
  kind: 'link-down';
  start: bigint;
  /** when the link came back, if the evidence shows it */
  end: bigint | null;
  hosts: string[];
  linkDown: LinkDown;
  remedy: Remedy;
}

/** A saved rule that drops the peer's adverts, and the takeover it caused (a cause other than NAT). */
export interface FirewallDropFinding extends FindingBase {
  kind: 'firewall-drop';
  start: bigint;
  /** when a later snapshot shows the rule gone */
  end: bigint | null;
  hosts: string[];
  firewallDrop: FirewallDrop;
  remedy: Remedy;
}

export type Finding = TranslationFinding | SplitBrainFinding | StormFinding | MasterChangeFinding | ResignationFinding | CarpFinding
  | ExhaustionFinding | ContradictionFinding | LinkDownFinding | FirewallDropFinding | UnexplainedTakeoverFinding;

export type FindingKind = Finding['kind'];

/** When a finding begins and ends, whatever its kind (a translation's first and last advert, else its span). */
export function findingSpan(f: Finding): { first?: bigint; last?: bigint | null } {
  if (f.kind === 'vrrp-source-translated' || f.kind === 'carp-source-translated') return { first: f.firstSeen, last: f.lastSeen };
  return { first: f.start, last: f.end };
}

/**
 * The fix for one cause, as steps in the order that works: each a kind of action with its commands (shell, for this
 * setup), the rule of the newest saved ruleset that already does it, and the same step in another syntax
 * (`alternative`). Worded at the edge (report/finding-words.ts: remedyLines).
 */
export interface Remedy {
  /** what it fixes: a router's translated adverts, or a host's full conntrack table */
  for: { kind: 'translation'; router: string; original: string; translated: string } | { kind: 'exhaustion'; host: string }
    | { kind: 'link'; host: string; interface: string }
    | { kind: 'firewall-rule'; host: string; file: string; line: number; from: string };
  steps: RemedyStep[];
}

export type RemedyAction =
  /** see what fills the conntrack table and give it room */
  | 'make-room'
  /** raw NOTRACK for the adverts */
  | 'notrack'
  /** accept the untracked adverts in the input filter */
  | 'accept-untracked'
  /** keep the adverts out of SNAT */
  | 'exempt-from-snat'
  /** delete the stale entry, last */
  | 'delete-entry'
  /** find why a link dropped (cable, switch port, NIC, driver) */
  | 'check-link'
  /** keep mastership from flapping with a flapping link */
  | 'damp-flapping'
  /** accept the adverts before any drop */
  | 'accept-vrrp'
  /** take a dropping rule out (and out of the ruleset loaded at boot) */
  | 'remove-rule';

export interface RemedyStep {
  /** its place in the order (the same number for the step repeated per protocol) */
  n: number;
  action: RemedyAction;
  /** the protocol it is for (vrrp, ah), when the step is per protocol */
  protocol?: string;
  /** the commands' syntax: nft when the router's saved ruleset is nft, else iptables */
  syntax: 'iptables' | 'nft' | 'shell';
  commands: RemedyCommand[];
  /** no command needed, and why: the ruleset has no input filter chain / no SNAT rule */
  nothingTo?: { missing: 'input-chain' | 'snat-rule'; file: string };
}

export interface RemedyCommand {
  command: string;
  /** the newest saved ruleset already has it */
  alreadyIn?: { file: string; line: number };
  /** the same step another way (nft beside iptables): the full report shows it, the one-screen verdict not */
  alternative?: 'nft';
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
  /** what it says: the line or record itself (a log message, an advert's fields); absent when `fact` says it */
  summary?: string;
  /** a line the analysis adds, as a fact (worded at the edge; JSON: `summary` in words, then `fact`) */
  fact?: TimelineFact;
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

/**
 * A timeline line the analysis adds, as a fact: the untranslated entry of a flow that ended just before a translated
 * one was born (`ended-entry`), a run of kernel "table full" or keepalived "send advert error" lines (`side-run`, the
 * first line's text as read), a saved ruleset (`ruleset`: its rule count and nat rules; the entry's `change` says what
 * changed against the one before), a run of one sender's VRRP adverts (`advert`) or CARP adverts (`carp`) with who
 * really sent them, a gratuitous ARP or unsolicited NA run (`announce`), a translated conntrack flow's birth or
 * destruction (`flow`).
 */
export type TimelineFact =
  | { kind: 'ended-entry'; protocol: string; src: string; dst: string; replyDst: string; how: 'user-deletion' | 'expiry'; byUser?: string; sameCommand: number }
  | { kind: 'side-run'; run: 'conntrack-table-full' | 'send-advert-error' | 'link-down' | 'link-up'; text: string }
  | { kind: 'ruleset'; rules: number; nat: string[] }
  | AdvertFact
  | CarpFact
  | { kind: 'announce'; announce: 'garp' | 'na'; address: string; mac?: string }
  | FlowFact;

/**
 * A run of VRRP adverts as its first one says (version, vrid, priority when decoded, source, a bad checksum) and who
 * sent it: `translated` when the source is a NAT target (`original` the address it rewrote, `router` its owner when
 * known), else `router` when the source is a known router's own address.
 */
export interface AdvertFact {
  kind: 'advert';
  version: number;
  vrid: number;
  priority?: number;
  src: string;
  translated?: { original: string; router?: string };
  router?: string;
  checksumBad?: true;
}

/** A run of CARP adverts as its first one says, and whether its source is a NAT target (`original`: what it rewrote). */
export interface CarpFact {
  kind: 'carp';
  vhid: number;
  advbase?: number;
  advskew?: number;
  src: string;
  translated?: { original?: string };
  checksumBad?: true;
}

/**
 * A translated conntrack flow (`protocol src > dst`, leaving as `leavesAs`) born (`from`: what dated the birth) or
 * destroyed (`byUser`: the user command that deleted it, when the event log names one).
 */
export type FlowFact = { kind: 'flow'; protocol: string; src: string; dst: string; leavesAs: string } & (
  | { event: 'born'; from: BirthEvidence }
  | { event: 'destroyed'; byUser?: string });

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

/** The finding type of one kind. */
export type FindingOf<K extends FindingKind> = Extract<Finding, { kind: K }>;

/** The findings of one kind, typed as that kind. */
export function findingsOf<K extends FindingKind>(fs: readonly Finding[], kind: K): FindingOf<K>[] {
  return fs.filter((f): f is FindingOf<K> => f.kind === kind);
}
