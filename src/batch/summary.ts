import { toRfc3339 } from '../model/instant.js';
import type { FindingKind } from '../model/report.js';
import { csvCell } from '../report/sanitize.js';

export const SUMMARY_SCHEMA = 'vrrp-forensics/batch-summary@1';
/** One CSV column per finding kind: the first six in their old places, the kinds added since after them. */
export const FINDING_KINDS = [
  'vrrp-source-translated', 'split-brain', 'advert-storm', 'master-change', 'resignation', 'carp-source-translated',
  'conntrack-exhaustion', 'contradiction', 'link-down', 'firewall-drop', 'unexplained-takeover',
] as const;
// a kind without a column would be counted in the JSON and silently missing from the CSV: the compiler says so
type Missing = Exclude<FindingKind, (typeof FINDING_KINDS)[number]>;
const everyKind: [Missing] extends [never] ? true : Missing = true;
void everyKind;

/** Why --resume analyses a group again: never done, or its summary line or report is not the finished one it claims. */
export type Redo =
  | { kind: 'not-done' }
  | { kind: 'line-unparsable'; error: string }
  | { kind: 'line-not-finished' }
  | { kind: 'no-digest' }
  | { kind: 'report-missing'; report: string }
  | { kind: 'report-changed'; report: string; bytes: number; expected: number }
  | { kind: 'report-unparsable'; report: string };

/** The summary's words for a Redo (the JSON's `redone`), written here only. */
export function redoWords(r: Redo): string {
  switch (r.kind) {
    case 'not-done': return 'not done before';
    case 'line-unparsable': return `its summary line does not parse (${r.error})`;
    case 'line-not-finished': return 'its summary line is not this group\'s finished line';
    case 'no-digest': return 'its summary line has no report digest (written by an older version)';
    case 'report-missing': return `its report ${r.report} is missing`;
    case 'report-changed': return `its report ${r.report} is not the one its summary line describes (${r.bytes} bytes, ${r.expected} expected)`;
    case 'report-unparsable': return `its report ${r.report} does not parse`;
  }
}

/** One incident group's line in the sweep summary. */
export interface SummaryRow {
  group: string;
  /** the incident folder(s) of its files, relative to the path given to batch */
  folders: string[];
  /** its files, relative to the path given to batch */
  members: string[];
  /** span of its VRRP evidence, RFC 3339 UTC with nine digits (as every time in the summary) */
  first: string | null;
  last: string | null;
  hosts: string[];
  files: number;
  bytes: number;
  findings: Record<string, number>;
  /** each finding above info: kind, severity, router, vrid, first time */
  findingList?: { kind: string; severity: string; router: string | null; vrid: number | null; first: string | null }[];
  firstFlip: string | null;
  /** analyze's exit status for the group: 0 nothing above info, 1 findings, 2 an input unreadable; null when not run */
  exitStatus: 0 | 1 | 2 | null;
  report: string | null;
  /** size and digest of the report as written: --resume checks the report is this one before skipping the group */
  reportBytes?: number;
  reportSha256?: string;
  status: 'done' | 'resumed' | 'error' | 'interrupted';
  /** --resume: why a group that had a report was analysed again, in words (`redoneFact`: the same as a fact) */
  redone?: string;
  redoneFact?: Redo;
  /** files that could not be read (the sweep went on) */
  problems: string[];
  error?: string;
}

export interface Summary {
  schema: typeof SUMMARY_SCHEMA;
  shard: string | null;
  groups: SummaryRow[];
}

/** Every time in the summary (JSON and CSV alike): RFC 3339 UTC, nine fraction digits. */
export const summaryTime = (ns: string | bigint | null): string | null => (ns === null ? null : toRfc3339(BigInt(ns)));

export const SUMMARY_COLUMNS = ['group', 'folders', 'first', 'last', 'hosts', 'files', 'bytes', ...FINDING_KINDS, 'first_flip', 'exit_status', 'status', 'report', 'members', 'problems', 'error'];

/** The summary as CSV (csv-stringify, formula-safe): one line per group. */
export async function summaryCsv(s: Summary): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows = s.groups.map((g) => [
    g.group, g.folders.join(' '), g.first ?? '', g.last ?? '', g.hosts.join(' '), g.files, g.bytes, ...FINDING_KINDS.map((k) => g.findings[k] ?? 0),
    g.firstFlip ?? '', g.exitStatus ?? '', g.status, g.report ?? '', g.members.join(' | '), g.problems.join(' | '), g.error ?? '',
  ].map(csvCell));
  return stringify([SUMMARY_COLUMNS, ...rows]);
}

export interface MergeResult {
  summary: Summary;
  /** shards of an N-way sweep that were not given (when partial merges are allowed) */
  missingShards: string[];
}

/**
 * Joins per-shard summaries into one: groups by id, in id order. A shard given twice is read once; the same group
 * finished in two different shards is an error; an interrupted line yields to a finished one. Shards of one N-way
 * sweep must all be there (K of N is refused unless `allowPartial`, and then the missing ones are named).
 */
export function mergeSummaries(parts: Summary[], allowPartial = false): MergeResult {
  const shards = new Map<string, Summary>();
  const ns = new Set<number>();
  for (const p of parts) {
    if (p.schema !== SUMMARY_SCHEMA) throw new Error(`not a batch summary (schema ${String(p.schema)})`);
    const m = p.shard === null ? null : /^(\d+)\/(\d+)$/.exec(p.shard);
    if (m) ns.add(Number(m[2]));
    if (p.shard !== null && shards.has(p.shard)) {
      if (JSON.stringify(shards.get(p.shard)!.groups) !== JSON.stringify(p.groups)) throw new Error(`shard ${p.shard} given twice with different groups`);
      continue;
    }
    shards.set(p.shard ?? `#${shards.size}`, p);
  }
  if (ns.size > 1) throw new Error(`summaries of sweeps cut in different numbers of shards (${[...ns].sort().join(', ')})`);
  const missingShards: string[] = [];
  if (ns.size === 1) {
    const n = [...ns][0];
    for (let k = 1; k <= n; k++) if (!shards.has(`${k}/${n}`)) missingShards.push(`${k}/${n}`);
    if (missingShards.length && !allowPartial) throw new Error(`${shards.size} of ${n} shards given; missing ${missingShards.join(', ')} (--allow-partial merges them anyway)`);
  }
  const byId = new Map<string, SummaryRow>();
  for (const p of shards.values()) {
    for (const g of p.groups) {
      const had = byId.get(g.group);
      if (had && had.status !== 'interrupted' && g.status !== 'interrupted') throw new Error(`group ${g.group} appears in two summaries`);
      if (!had || had.status === 'interrupted') byId.set(g.group, g);
    }
  }
  return { summary: { schema: SUMMARY_SCHEMA, shard: null, groups: [...byId.values()].sort((a, b) => a.group.localeCompare(b.group)) }, missingShards };
}
