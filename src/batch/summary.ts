import { toRfc3339 } from '../model/instant.js';
import { csvCell } from '../report/sanitize.js';

export const SUMMARY_SCHEMA = 'vrrp-forensics/batch-summary@1';
export const FINDING_KINDS = ['vrrp-source-translated', 'split-brain', 'advert-storm', 'master-change', 'resignation', 'carp-source-translated'] as const;

/** One incident group's line in the sweep summary. */
export interface SummaryRow {
  group: string;
  first: string | null;
  last: string | null;
  hosts: string[];
  files: number;
  bytes: number;
  findings: Record<string, number>;
  firstFlip: string | null;
  /** analyze's exit status for the group: 0 nothing above info, 1 findings, 2 an input unreadable; null when not run */
  exitStatus: 0 | 1 | 2 | null;
  report: string | null;
  status: 'done' | 'resumed' | 'error' | 'interrupted';
  /** files that could not be read (the sweep went on) */
  problems: string[];
  error?: string;
}

export interface Summary {
  schema: typeof SUMMARY_SCHEMA;
  shard: string | null;
  groups: SummaryRow[];
}

const iso = (ns: string | null) => (ns === null ? '' : toRfc3339(BigInt(ns)));

export const SUMMARY_COLUMNS = ['group', 'first', 'last', 'hosts', 'files', 'bytes', ...FINDING_KINDS, 'first_flip', 'exit_status', 'status', 'report', 'problems', 'error'];

/** The summary as CSV (csv-stringify, formula-safe): one line per group. */
export async function summaryCsv(s: Summary): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows = s.groups.map((g) => [
    g.group, iso(g.first), iso(g.last), g.hosts.join(' '), g.files, g.bytes, ...FINDING_KINDS.map((k) => g.findings[k] ?? 0),
    g.firstFlip ?? '', g.exitStatus ?? '', g.status, g.report ?? '', g.problems.join(' | '), g.error ?? '',
  ].map(csvCell));
  return stringify([SUMMARY_COLUMNS, ...rows]);
}

/** Joins per-shard summaries into one: groups by id (a group in two shards is an error), in id order. */
export function mergeSummaries(parts: Summary[]): Summary {
  const byId = new Map<string, SummaryRow>();
  for (const p of parts) {
    if (p.schema !== SUMMARY_SCHEMA) throw new Error(`not a batch summary (schema ${String(p.schema)})`);
    for (const g of p.groups) {
      const had = byId.get(g.group);
      if (had && had.status !== 'interrupted' && g.status !== 'interrupted') throw new Error(`group ${g.group} appears in two summaries`);
      if (!had || had.status === 'interrupted') byId.set(g.group, g);
    }
  }
  return { schema: SUMMARY_SCHEMA, shard: null, groups: [...byId.values()].sort((a, b) => a.group.localeCompare(b.group)) };
}
