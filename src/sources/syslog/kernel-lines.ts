import type { Frame } from './framing.js';

/**
 * The syslog lines that bear on VRRP but are not keepalived state: the kernel's "nf_conntrack: table full, dropping
 * packet" (every new flow, VRRP adverts included, is dropped), keepalived's "send advert error" (its advert never
 * left), and the kernel's link lines (a NIC driver's "Link is Down/Up", bonding's "link status definitely down/up"):
 * a link that goes down takes VRRP with it. Found by the keepalived reader in its one pass (reader.ts): its sieve lets
 * through the lines that hold one of SIDE_NEEDLES, and only those are framed and classified here (classifySideLine).
 */
export type SideLineKind = 'conntrack-table-full' | 'send-advert-error' | 'link-down' | 'link-up';

/** One classified line: its kind and, for a link line, the interface it names. */
export interface SideLine {
  kind: SideLineKind;
  interface?: string;
}

/** Runs of one kind of line, so a day of them is a few runs, not a million lines (memory stays flat). */
export interface SideRun {
  kind: SideLineKind;
  /** link lines: the interface (runs are per interface) */
  interface?: string;
  file: string;
  host: string | null;
  first: { line: number; at: bigint; text: string };
  /** digits of sub-second precision of the file's times (0: whole seconds) */
  precision: number;
  last: { line: number; at: bigint };
  lines: number;
}

/** a new run starts after this much quiet */
const GAP = 10_000_000_000n;
/** runs kept per file at most */
const MAX_RUNS = 1000;

const TABLE_FULL = /\bnf_conntrack: (?:nf_conntrack: )?table full(?: in netns \d+)?, dropping packet/;
const SEND_ERROR = /send advert error\b/;
/**
 * NIC drivers name the interface just before the words: e1000e/igb/ixgbe/i40e "… eth0: NIC Link is Down" ("NIC Link
 * is Up 1000 Mbps Full Duplex, …"; older e1000e "e1000e: eth0 NIC Link is Down"), r8169/tg3 "… eth0: Link is Down" /
 * "link is down.", mlx5 "… ens1f0: Link down"; bonding "bond0: (slave eth0): link status definitely down, disabling
 * slave" (older: "bond0: link status definitely down for interface eth0, disabling it").
 */
const NIC_LINK = /(?:^|\s)([A-Za-z][\w.@-]{0,15})(?::\s+(?:NIC )?|\s+NIC )link (?:is )?(down|up)\b/i;
const BOND_SLAVE = /^\S+: \(slave ([\w.@-]+)\): link status (?:definitely )?(down|up)\b/;
const BOND_OLD = /^\S+: link status (?:definitely )?(down|up) for interface ([\w.@-]+)/;
/** Every side line holds one of these (the reader's byte test before classifySideLine: a side line is rare). */
export const SIDE_NEEDLES = ['table full', 'send advert error', 'ink '];
/**
 * those of the side lines that are not keepalived's own (whose lines the reader's sieve lets through anyway): each is
 * one more search of the whole text, so the link lines share one ('ink ': "NIC Link is", "Link down", "link status")
 */
export const OTHER_SIDE_NEEDLES = ['table full', 'ink '];

/** A syslog line (its program and message) as a side line, or null: a pure function, one line at a time. */
export function classifySideLine(f: Pick<Frame, 'program' | 'message'>): SideLine | null {
  if (/^kernel$/i.test(f.program)) {
    if (TABLE_FULL.test(f.message)) return { kind: 'conntrack-table-full' };
    const b = BOND_SLAVE.exec(f.message);
    if (b) return { kind: b[2] === 'down' ? 'link-down' : 'link-up', interface: b[1] };
    const o = BOND_OLD.exec(f.message);
    if (o) return { kind: o[1] === 'down' ? 'link-down' : 'link-up', interface: o[2] };
    const n = NIC_LINK.exec(f.message);
    if (n) return { kind: n[2].toLowerCase() === 'down' ? 'link-down' : 'link-up', interface: n[1] };
    return null;
  }
  if (/^keepalived/i.test(f.program) && SEND_ERROR.test(f.message)) return { kind: 'send-advert-error' };
  return null;
}

/** The kind alone (callers that do not need the interface). */
export function sideLineKind(f: Pick<Frame, 'program' | 'message'>): SideLineKind | null {
  return classifySideLine(f)?.kind ?? null;
}

/**
 * A file's side lines gathered into runs as the reader meets them (in file order, each with its time on the reader's
 * clock): a run goes on while lines of its kind follow within GAP; at most MAX_RUNS runs per file.
 */
export class SideRuns {
  readonly runs: SideRun[] = [];
  /** the open run per kind and interface */
  private readonly open = new Map<string, SideRun>();

  constructor(private readonly file: string) {}

  add(side: SideLine, line: number, at: bigint, f: Pick<Frame, 'host' | 'message' | 'precision'>): void {
    const { kind } = side;
    const key = `${kind}|${side.interface ?? ''}`;
    const r = this.open.get(key);
    if (r && at >= r.last.at && at - r.last.at <= GAP) {
      r.last = { line, at };
      r.lines++;
      return;
    }
    if (this.runs.length >= MAX_RUNS) return;
    const run: SideRun = { kind, ...(side.interface ? { interface: side.interface } : {}), file: this.file, host: f.host ?? null, first: { line, at, text: f.message }, precision: f.precision, last: { line, at }, lines: 1 };
    this.runs.push(run);
    this.open.set(key, run);
  }
}
