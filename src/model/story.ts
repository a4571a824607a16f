/**
 * The story's facts as types: what let a translated entry be born, the entry's life as the evidence shows it, the
 * contradictions between sources, conntrack exhaustion, and where each host stood when the evidence ends. No words
 * here: report/ writes them.
 */
import type { Evidence } from './report.js';

/** A cited line and when it happened (null: the line gives no time). */
export interface Cite {
  file: string;
  line: number;
  at: bigint | null;
}

/**
 * How a translated VRRP entry lived, from the conntrack evidence: refreshed by adverts to the end, idle (no refresh
 * since `refreshedUntil`: NOTRACK took the adverts past it, or its router fell silent or stopped), or ended.
 */
export interface EntryLife {
  state: 'refreshed' | 'idle' | 'ended';
  /** the last refresh the evidence shows (ns), and what says so */
  refreshedUntil: bigint | null;
  refreshedFrom: 'frozen-counter' | 'timeout-left' | 'last-advert' | 'destroyed' | null;
  /** idle: refreshedUntil + timeoutS — it expires then unless a tracked advert of its flow refreshes it first */
  expiresAt?: bigint;
  /** its generic timeout (s) */
  timeoutS: number;
  /** idle: why no advert refreshes it */
  why?: 'untracked' | 'router-stopped' | 'router-silent';
  /** the snapshots that show it idle: the packet counter unchanged, the timeout left falling */
  snapshots?: { file: string; line: number; at: bigint | null; packets?: number; timeout?: number }[];
}

/** What let a translated entry be born: the untranslated entry of the same flow ended just before. */
export interface BirthCause {
  /** deleted by a user command (conntrack -D, conntrack -F, a reload script) or timed out */
  kind: 'user-deletion' | 'expiry';
  destroyed: Cite & { byUser?: string };
  /** the ended entry's reply destination: the router's own address, i.e. untranslated */
  previousReplyDst: string;
  /** VRRP/AH entries the same command destroyed within the same millisecond (several: a flush) */
  sameCommand: number;
  /** from the destruction to the translated entry's birth (ns) */
  gapNs: bigint;
}

/** A saved ruleset change between two snapshots of one host that bears on a translation. */
export interface RulesetShift {
  before: { file: string; at: bigint };
  after: { file: string; at: bigint };
  /** what the newer snapshot does to the adverts (translated, exempt, untracked, …) */
  afterDecision: string;
  beforeDecision: string;
  added: { table: string; text: string; line: number }[];
  removed: { table: string; text: string; line: number }[];
}

export type ContradictionClaim =
  /** the saved rule in force when a translated entry was born exempts VRRP */
  | 'born-translated-under-exempting-rule'
  /** a host logs an advert timeout while its own capture shows the master's adverts arriving */
  | 'timeout-while-adverts-captured'
  /** a MASTER's own capture shows a peer's valid adverts that outrank it, yet its keepalived stays MASTER and silent */
  | 'outranked-while-master'
  /** a MASTER's own capture shows another station announcing its virtual address (gratuitous ARP / unsolicited NA) */
  | 'vip-claimed-while-master';

export type HypothesisKind =
  /** another router took MASTER and its adverts never reached this host (not sent, or lost on the way): a split brain */
  | 'second-master-unheard'
  /** a station outside VRRP answers for the address (an address conflict) */
  | 'address-conflict'
  | 'ruleset-changed-between-snapshots'
  | 'flush-points-to-reload'
  | 'ruleset-not-saved'
  | 'dropped-conntrack-table-full'
  | 'dropped-after-capture-point'
  /**
   * the host's own translated unicast entry (original: host → peer, reply: peer → its SNAT target) holds the tuple the
   * peer's adverts' new entry needs as its reply (host → peer): the insert fails, the kernel drops them
   */
  | 'stale-unicast-entry-clash'
  /** a saved filter INPUT / raw PREROUTING rule of the host drops them */
  | 'dropped-by-firewall-rule';

/** Two sources that disagree, both cited, and what could explain it — hypotheses, never stated as fact. */
export interface Contradiction {
  claim: ContradictionClaim;
  host: string | null;
  /** what one source says, and what the other says */
  sides: [Evidence, Evidence];
  /** `policy`: the firewall hypothesis's drop is a chain's DROP policy (no rule accepts the adverts), not a rule */
  hypotheses: { kind: HypothesisKind; evidence: Evidence[]; shift?: RulesetShift; policy?: true }[];
  /** outranked-while-master: the adverts the host's capture holds and its keepalived never acted on */
  outranked?: OutrankedAdverts;
  /** vip-claimed-while-master: who announced the host's virtual address, how often, while it was MASTER */
  vipClaim?: VipClaim;
}

/** Another station's announcements of a MASTER's virtual address, captured on that MASTER's link while it was MASTER. */
export interface VipClaim {
  address: string;
  /** the MAC the address was announced at, and the router it belongs to where the evidence says */
  mac: string;
  macOwner?: string;
  /** an address that sent VRRP adverts from that MAC in this host's captures (who it is, when no router is known) */
  macSender?: string;
  announcements: number;
  first: Evidence;
  last: Evidence;
  masterSince: bigint;
  /** when the host left MASTER (null: still MASTER when the evidence ends) */
  leftMasterAt: bigint | null;
  /**
   * how the MASTER span is known: the host's keepalived log (`log`), or a capture with no log — the master's own adverts
   * going on around the announcements (`wire`: `master` is their source, and the span is that run of adverts)
   */
  masterBy?: 'log' | 'wire';
  master?: string;
}

/** A peer's adverts that outrank a MASTER, captured on that MASTER's own link while it stayed MASTER. */
export interface OutrankedAdverts {
  /** the source on the wire (what keepalived compares), its router, and whether it outranks by a tie on the address */
  peer: string;
  peerHost: string | null;
  peerPriority: number;
  ownPriority: number;
  /** equal priorities: the peer's address is the higher one */
  tie: boolean;
  vrid: number;
  /** where they were sent: the host's own address (unicast) or the group */
  dst: string;
  adverts: number;
  first: Evidence;
  last: Evidence;
  /** MASTER since, and when it left MASTER (null: still MASTER when the evidence ends) */
  masterSince: bigint;
  leftMasterAt: bigint | null;
}

/** A host's link went down and what it did to VRRP: a cause other than NAT. */
export interface LinkDown {
  host: string;
  interface: string;
  /** keepalived's "Netlink reports <if> down" / "Kernel is reporting: interface <if> DOWN" */
  downAt: bigint;
  /** the same for up (null: not back up in the evidence) */
  upAt: bigint | null;
  /** its instance entered FAULT for it */
  faultAt: bigint | null;
  /** it was MASTER when the link went down */
  wasMaster: boolean;
  /** the kernel's link lines for the interface in the host's syslog around it (NIC driver, bonding) */
  kernelLines: number;
  /** the peer that took MASTER on the advert timeout after it */
  takeover: { host: string; at: bigint } | null;
}

/** A saved firewall rule on a host that drops the peer's VRRP adverts: a cause other than NAT. */
export interface FirewallDrop {
  host: string;
  /** `policy`: no rule drops them — they fall through the chain to its DROP policy (`text` is the policy's line) */
  rule: { file: string; line: number; table: string; chain: string; text: string; target: string; family?: string; policy?: true };
  /** the snapshot's time, and the first later snapshot of the host without the drop */
  savedAt: bigint;
  removed: { file: string; at: bigint } | null;
  /** the adverts it drops: sender and destination */
  from: string;
  to: string;
  /** the host took MASTER on an advert timeout while the rule was in force */
  tookMasterAt: bigint | null;
  /** `log`: no capture of the host shows the master's adverts; the master is the one its own log last yielded to */
  heardBy?: 'log';
}

/** A host's conntrack table full (the kernel's lines), with what it did to VRRP. */
export interface Exhaustion {
  host: string;
  start: bigint;
  end: bigint;
  /** kernel "nf_conntrack: table full, dropping packet" lines */
  kernelLines: number;
  /** keepalived's "send advert error" lines in the same span (its adverts could not leave) */
  sendErrors: number;
  /** the host took MASTER on an advert timeout while its table was full */
  tookMasterAt: bigint | null;
}

/** Where one host stood when the evidence ends, and whether it still needs a fix. */
export interface HostEndState {
  host: string;
  /** MASTER, BACKUP, FAULT, STOPPED, or null (no keepalived log of it) */
  keepalived: string | null;
  /**
   * fixed: its adverts leave with the real source and its newest ruleset no longer translates them;
   * still-translating: its adverts leave translated at the end of the evidence;
   * entry-idle: a translated entry is still in its table, idle until `entryIdleUntil` — reused if its adverts are
   *   tracked again before then;
   * rules-still-translate: no translated advert at the end, but its newest ruleset would translate the next new entry;
   * reverted: its adverts leave with the real source again, but no saved ruleset shows they will stay so;
   * table-full: its conntrack table was full (VRRP adverts dropped);
   * untranslated: no translation of its adverts in the evidence
   */
  status: 'fixed' | 'still-translating' | 'entry-idle' | 'rules-still-translate' | 'reverted' | 'table-full' | 'untranslated';
  entryIdleUntil?: bigint;
  needsFix: boolean;
  /** the findings about this host (translation, exhaustion) */
  findings: string[];
  /** the newest saved ruleset of the host and what it does to the adverts */
  rules?: { file: string; decision: string };
}
