import { LineSplitter } from '../lines.js';
import { openInput } from '../input.js';
import { parseFrame, type Frame } from './framing.js';

/**
 * The syslog lines that bear on VRRP but are not keepalived state: the kernel's "nf_conntrack: table full, dropping
 * packet" (every new flow, VRRP adverts included, is dropped), keepalived's "send advert error" (its advert never
 * left), and the kernel's link lines (a NIC driver's "Link is Down/Up", bonding's "link status definitely down/up"):
 * a link that goes down takes VRRP with it. Read in a pass of their own: the keepalived reader skips other programs'
 * lines unseen, for speed.
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

export interface SideLineOptions {
  /** year-less (RFC 3164) lines: the year the keepalived reader settled on for this file */
  year: number | null;
  /** wall-clock → epoch ms in the zone the file's zone-less times are read in */
  toEpochMs: (t: { year: number; month: number; day: number; hour: number; minute: number; second: number }) => number;
}

/** a new run starts after this much quiet */
const GAP = 10_000_000_000n;
/** runs kept per file at most */
const MAX_RUNS = 1000;

const TABLE_FULL = /\bnf_conntrack: (?:nf_conntrack: )?table full(?: in netns \d+)?, dropping packet/;
const SEND_ERROR = /send advert error\b/;
/**
 * NIC drivers name the interface just before the words: e1000e/igb/ixgbe/i40e "… eth0: NIC Link is Down" ("NIC Link
 * is Up 1000 Mbps Full Duplex, …"; older e1000e "e1000e: eth0 NIC Link is Down"), r8169/tg3/virtio-style "… eth0: Link is Down" / "link is down.", mlx5 "… ens1f0:
 * Link down"; bonding "bond0: (slave eth0): link status definitely down, disabling slave" (older: "bond0: link status
 * definitely down for interface eth0, disabling it").
 */
const NIC_LINK = /(?:^|\s)([A-Za-z][\w.@-]{0,15})(?::\s+(?:NIC )?|\s+NIC )link (?:is )?(down|up)\b/i;
const BOND_SLAVE = /^\S+: \(slave ([\w.@-]+)\): link status (?:definitely )?(down|up)\b/;
const BOND_OLD = /^\S+: link status (?:definitely )?(down|up) for interface ([\w.@-]+)/;
const NEEDLES = [Buffer.from('table full'), Buffer.from('send advert error'), Buffer.from('ink is '), Buffer.from('ink down'), Buffer.from('ink up'), Buffer.from('link status')];

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

export async function readSideLines(file: string, opts: SideLineOptions): Promise<SideRun[]> {
  const runs: SideRun[] = [];
  const open = new Map<string, SideRun>();
  const timeOf = (f: Frame): bigint | null => {
    if (f.ns !== undefined) return f.ns;
    const z = f.zoneless;
    if (!z) return null;
    const year = z.year ?? opts.year;
    if (year === null) return null;
    const ms = opts.toEpochMs({ year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second });
    return Number.isFinite(ms) ? BigInt(ms) * 1_000_000n + (z.fraction ? BigInt(z.fraction.padEnd(9, '0').slice(0, 9)) : 0n) : null;
  };
  const splitter = new LineSplitter(file, (l) => {
    const f = parseFrame(l.text);
    if (!f) return;
    const side = classifySideLine(f);
    if (!side) return;
    const { kind } = side;
    const at = timeOf(f);
    if (at === null) return;
    const key = `${kind}|${side.interface ?? ''}`;
    const r = open.get(key);
    if (r && at >= r.last.at && at - r.last.at <= GAP) {
      r.last = { line: l.line, at };
      r.lines++;
      return;
    }
    if (runs.length >= MAX_RUNS) return;
    const run: SideRun = { kind, ...(side.interface ? { interface: side.interface } : {}), file, host: f.host ?? null, first: { line: l.line, at, text: f.message }, precision: f.precision, last: { line: l.line, at }, lines: 1 };
    runs.push(run);
    open.set(key, run);
  }, () => {}, { kind: 'a syslog', blankLines: 'skip' });
  // only lines holding one of the needles are decoded
  splitter.byteFilter = (buf, start, end) => {
    const line = buf.subarray(start, end);
    return NEEDLES.some((n) => line.includes(n));
  };
  const input = await openInput(file);
  try {
    for await (const chunk of input.chunks) splitter.write(chunk);
    splitter.end();
  } catch {
    // the keepalived reader reports a damaged file; the runs read before the damage are kept
  } finally {
    input.close();
  }
  return runs;
}

/** Every syslog's side lines, each run given its input's host (the file's host wins over the line's own). */
export async function readSideLinesOf(logs: { path: string; host: string | null; options: SideLineOptions }[]): Promise<(SideRun & { host: string | null })[]> {
  const per = await Promise.all(logs.map(async (l) => (await readSideLines(l.path, l.options)).map((r) => ({ ...r, host: l.host ?? r.host }))));
  return per.flat();
}
