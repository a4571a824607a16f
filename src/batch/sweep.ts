import { promises as fsp, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Format } from '../report/render.js';
import { expandSweep } from './glob.js';
import type { PassedOver } from '../sources/input.js';
import { groupFiles, type Group, type Scanned } from '../correlate/incidents.js';
import { inShard, reportStem } from './group.js';
import { lockOutput } from './lock.js';
import { verifyDone } from './resume.js';
import { Pool } from './pool.js';
import { Progress } from './progress.js';
import type { Replays } from './scan.js';
import type { ScanResult } from './worker.js';
import { redoWords, SUMMARY_SCHEMA, summaryCsv, summaryTime, type Redo, type Summary, type SummaryRow } from './summary.js';
import { partialSuffix, writeAtomic } from './atomic.js';

export interface SweepOptions {
  paths: string[];
  out: string;
  format: Format;
  jobs: number;
  /** one incident per folder this many levels below each given path; 0: group by the span of VRRP evidence */
  perDir: number;
  resume: boolean;
  shard?: { k: number; n: number };
  progress: 'tty' | 'lines' | 'quiet';
  tz: string;
  year?: number;
  showSecrets?: boolean;
  /** set by the command on Ctrl-C: no new group starts; the summary says what was done */
  signal?: AbortSignal;
}

export interface SweepResult {
  summary: Summary & { skipped: { path: string; reason: string }[]; notScanned?: string[] };
  summaryFile: string;
  interrupted: boolean;
}

/**
 * The sweep: every file scanned for kind and time span (in parallel), files grouped into incidents, this shard's
 * groups analysed in parallel (one report each, written whole or not at all), and a summary of what was done — also
 * when interrupted.
 */
export async function sweep(o: SweepOptions): Promise<SweepResult> {
  const passed: PassedOver[] = [];
  const found = await expandSweep(o.paths, passed);
  await fsp.mkdir(o.out, { recursive: true });
  const base = path.join(o.out, o.shard ? `summary-shard-${o.shard.k}-of-${o.shard.n}` : 'summary');
  const unlock = lockOutput(o.out, path.basename(base));
  try {
    return await locked(o, found, base, passed);
  } finally {
    unlock();
  }
}

/** Removes the temporary files this process left in the output folder (the process is ending early). */
export function removePartials(out: string): void {
  try {
    for (const f of readdirSync(out)) if (f.endsWith(partialSuffix())) unlinkSync(path.join(out, f));
  } catch {
    // nothing to clean
  }
}

async function locked(o: SweepOptions, found: { path: string; root: string }[], base: string, passed: PassedOver[]): Promise<SweepResult> {
  const outAbs = path.resolve(o.out);
  const rootOf = new Map(found.map((f) => [f.path, f.root]));
  const inputs = found.map((f) => f.path).filter((f) => !path.resolve(f).startsWith(outAbs + path.sep));
  const pool = new Pool(Math.max(1, Math.min(o.jobs, Math.max(inputs.length, 1))), new URL('./worker.js', import.meta.url));
  const stop = () => void pool.close();
  o.signal?.addEventListener('abort', stop, { once: true });
  // what the folder walk passed over (links to nowhere, FIFOs, cycles) is listed with the files of no known kind
  const skipped: { path: string; reason: string }[] = [...passed];
  const notScanned: string[] = [];
  const rows: SummaryRow[] = [];
  try {
    const sizes = await Promise.all(inputs.map((f) => fsp.stat(f).then((s) => s.size, () => 0)));
    const scanProgress = new Progress('scanned files', inputs.length, sizes.reduce((a, b) => a + b, 0), o.progress);
    // an archive scans as its members (each a Scanned of its own)
    const replays = new ReplayBudget(REPLAY_BUDGET_RECORDS);
    const scanned = (await Promise.all(inputs.map(async (f, i) => {
      const r = await pool.run({ type: 'scan', path: f, year: o.year });
      scanProgress.step(sizes[i]);
      if (r.ok) replays.offer((r.value as ScanResult).replays);
      const s: Scanned[] = r.ok ? (r.value as ScanResult).scanned : [{ path: f, kind: 'unknown' as const, bytes: sizes[i], first: null, last: null, hosts: [], error: r.error }];
      return s.map((x) => ({ ...x, root: rootOf.get(f) }));
    }))).flat();
    // files whose scan a Ctrl-C cut short are not "skipped" (they may well be evidence): listed as not scanned
    for (const s of scanned) {
      if (s.kind !== 'unknown') continue;
      if (o.signal?.aborted && s.error === 'interrupted') notScanned.push(s.path);
      else skipped.push({ path: s.path, reason: s.error ?? 'not evidence this tool reads' });
    }
    const groups = groupFiles(scanned, { perDir: o.perDir }).filter((g) => inShard(g.id, o.shard));
    const progress = new Progress('analysed groups', groups.length, groups.reduce((a, g) => a + g.bytes, 0), o.progress);
    await Promise.all(groups.map(async (g) => {
      rows.push(await one(g, o, pool, replays.for(g.files)));
      progress.step(g.bytes);
    }));
  } finally {
    o.signal?.removeEventListener('abort', stop);
    await pool.close();
  }
  rows.sort((a, b) => a.group.localeCompare(b.group));
  const shard = o.shard ? `${o.shard.k}/${o.shard.n}` : null;
  const summary = { schema: SUMMARY_SCHEMA as typeof SUMMARY_SCHEMA, shard, groups: rows, skipped, ...(notScanned.length ? { notScanned } : {}) };
  await writeAtomic(`${base}.json`, JSON.stringify(summary, null, 2) + '\n');
  await writeAtomic(`${base}.csv`, await summaryCsv(summary));
  return { summary, summaryFile: `${base}.json`, interrupted: Boolean(o.signal?.aborted) };
}

/** Sweep-wide, the scan's records kept for the analyses: a budget of records, so memory does not grow with the sweep. */
const REPLAY_BUDGET_RECORDS = 100_000;

class ReplayBudget {
  private readonly kept = new Map<string, Replays[string]>();
  private left: number;

  constructor(records: number) {
    this.left = records;
  }

  offer(replays: Replays): void {
    for (const [path, r] of Object.entries(replays)) {
      const n = r.batches.reduce((a, b) => a + b.length, 0);
      if (n > this.left) continue; // read again by its analysis
      this.left -= n;
      this.kept.set(path, r);
    }
  }

  for(files: string[]): Replays {
    return Object.fromEntries(files.filter((f) => this.kept.has(f)).map((f) => [f, this.kept.get(f)!]));
  }
}

async function one(g: Group, o: SweepOptions, pool: Pool, replays: Replays): Promise<SummaryRow> {
  const base: SummaryRow = {
    group: g.id, folders: g.folders, members: g.members, first: summaryTime(g.first), last: summaryTime(g.last), hosts: [], files: g.files.length,
    bytes: g.bytes, findings: {}, firstFlip: null, exitStatus: null, report: null, status: 'interrupted', problems: [],
  };
  let redone: Redo | undefined;
  if (o.resume) {
    const done = await verifyDone(o.out, g.id, path.join(o.out, `${reportStem(g)}.summary.json`));
    if ('row' in done) return { ...done.row, status: 'resumed' };
    if (done.redo.kind !== 'not-done') redone = done.redo;
  }
  if (o.signal?.aborted) return base;
  const r = await pool.run({ type: 'analyze', group: g, format: o.format, out: o.out, tz: o.tz, year: o.year, showSecrets: o.showSecrets, replays });
  if (r.ok) return { ...(r.value as SummaryRow), ...(redone ? { redone: redoWords(redone), redoneFact: redone } : {}) };
  if (o.signal?.aborted) return base;
  return { ...base, status: 'error', error: r.error };
}
