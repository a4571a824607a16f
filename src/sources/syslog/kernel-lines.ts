import type { Frame } from './framing.js';

/**
 * The syslog lines that bear on VRRP but are not keepalived state: the kernel's "nf_conntrack: table full, dropping
 * packet" (every new flow, VRRP adverts included, is dropped) and keepalived's "send advert error" (its advert never
 * left). Found by the keepalived reader in its one pass (reader.ts): its sieve lets through the lines that hold one of
 * SIDE_NEEDLES, and only those are framed and classified here.
 */
export type SideLineKind = 'conntrack-table-full' | 'send-advert-error';

/** Runs of one kind of line, so a day of them is a few runs, not a million lines (memory stays flat). */
export interface SideRun {
  kind: SideLineKind;
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
/** Every side line holds one of these (the reader's byte test before sideLineKind: a side line is rare). */
export const SIDE_NEEDLES = ['table full', 'send advert error'];
/** those of the side lines that are not keepalived's own (whose lines the reader's sieve lets through anyway) */
export const OTHER_SIDE_NEEDLES = ['table full'];

export function sideLineKind(f: Pick<Frame, 'program' | 'message'>): SideLineKind | null {
  if (/^kernel$/i.test(f.program) && TABLE_FULL.test(f.message)) return 'conntrack-table-full';
  if (/^keepalived/i.test(f.program) && SEND_ERROR.test(f.message)) return 'send-advert-error';
  return null;
}

/**
 * A file's side lines gathered into runs as the reader meets them (in file order, each with its time on the reader's
 * clock): a run goes on while lines of its kind follow within GAP; at most MAX_RUNS runs per file.
 */
export class SideRuns {
  readonly runs: SideRun[] = [];
  private readonly open = new Map<SideLineKind, SideRun>();

  constructor(private readonly file: string) {}

  add(kind: SideLineKind, line: number, at: bigint, f: Pick<Frame, 'host' | 'message' | 'precision'>): void {
    const r = this.open.get(kind);
    if (r && at >= r.last.at && at - r.last.at <= GAP) {
      r.last = { line, at };
      r.lines++;
      return;
    }
    if (this.runs.length >= MAX_RUNS) return;
    const run: SideRun = { kind, file: this.file, host: f.host ?? null, first: { line, at, text: f.message }, precision: f.precision, last: { line, at }, lines: 1 };
    this.runs.push(run);
    this.open.set(kind, run);
  }
}
