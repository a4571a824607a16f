import { LineSplitter } from '../lines.js';
import { openInput } from '../input.js';
import { parseFrame, type Frame } from './framing.js';

/**
 * The syslog lines that bear on VRRP but are not keepalived state: the kernel's "nf_conntrack: table full, dropping
 * packet" (every new flow, VRRP adverts included, is dropped) and keepalived's "send advert error" (its advert never
 * left). Read in a pass of their own: the keepalived reader skips other programs' lines unseen, for speed.
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
const NEEDLES = [Buffer.from('table full'), Buffer.from('send advert error')];

export function sideLineKind(f: Pick<Frame, 'program' | 'message'>): SideLineKind | null {
  if (/^kernel$/i.test(f.program) && TABLE_FULL.test(f.message)) return 'conntrack-table-full';
  if (/^keepalived/i.test(f.program) && SEND_ERROR.test(f.message)) return 'send-advert-error';
  return null;
}

export async function readSideLines(file: string, opts: SideLineOptions): Promise<SideRun[]> {
  const runs: SideRun[] = [];
  const open = new Map<SideLineKind, SideRun>();
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
    const kind = sideLineKind(f);
    if (!kind) return;
    const at = timeOf(f);
    if (at === null) return;
    const r = open.get(kind);
    if (r && at >= r.last.at && at - r.last.at <= GAP) {
      r.last = { line: l.line, at };
      r.lines++;
      return;
    }
    if (runs.length >= MAX_RUNS) return;
    const run: SideRun = { kind, file, host: f.host ?? null, first: { line: l.line, at, text: f.message }, precision: f.precision, last: { line: l.line, at }, lines: 1 };
    runs.push(run);
    open.set(kind, run);
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
