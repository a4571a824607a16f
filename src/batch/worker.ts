import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { analyze } from '../correlate/analyze.js';
import { prepareZone, toRfc3339 } from '../model/instant.js';
import { exitStatus, findingSpan } from '../model/report.js';
import { rebasePaths } from '../report/paths.js';
import { problemMessage } from '../report/problem-words.js';
import { EXTENSION, renderReport, type Format } from '../report/render.js';
import { writeAtomic } from './atomic.js';
import type { Group, Scanned } from '../correlate/incidents.js';
import { reportStem } from './group.js';
import { reportSeal } from './resume.js';
import { scanPath, type Replays } from './scan.js';
import { lendReplays, returnReplays } from '../sources/lent.js';
import { summaryTime, type SummaryRow } from './summary.js';
import { asForensicError } from '../errors.js';

export type Task =
  | { type: 'scan'; path: string; year?: number }
  /** replays: the group's captures as the scan read them (analysed from those, not read again) */
  | { type: 'analyze'; group: Group; format: Format; out: string; tz: string; year?: number; showSecrets?: boolean; replays?: Replays };

export interface ScanResult {
  scanned: Scanned[];
  replays: Replays;
}

export async function runTask(t: Task): Promise<unknown> {
  if (t.type === 'scan') {
    const replays: Replays = {};
    return { scanned: await scanPath(t.path, t.year, replays), replays } satisfies ScanResult;
  }
  const tz = await prepareZone(t.tz);
  const g = t.group;
  const row: SummaryRow = {
    group: g.id, folders: g.folders, members: g.members, first: summaryTime(g.first), last: summaryTime(g.last), hosts: [], files: g.files.length,
    bytes: g.bytes, findings: {}, firstFlip: null, exitStatus: null, report: null, status: 'done', problems: [],
  };
  lendReplays(t.replays ?? {});
  const r = await analyze(g.files, { tz, year: t.year, showSecrets: t.showSecrets, inBatch: true }).finally(returnReplays);
  row.hosts = [...new Set(r.inputs.map((i) => i.host).filter((h): h is string => h !== null))].sort();
  for (const f of r.findings) row.findings[f.kind] = (row.findings[f.kind] ?? 0) + 1;
  row.findingList = r.findings.filter((f) => f.severity !== 'info').map((f) => ({
    kind: f.kind, severity: f.severity, router: f.router, vrid: f.vrid, first: summaryTime(findingSpan(f).first ?? null),
  }));
  const flips = r.findings.flatMap((f) => (f.kind === 'vrrp-source-translated' && f.firstSeen !== undefined ? [f.firstSeen] : []));
  if (flips.length) row.firstFlip = toRfc3339(flips.reduce((a, b) => (a < b ? a : b)));
  row.exitStatus = exitStatus(r);
  row.problems = r.inputs.flatMap((i) => i.problems.filter((p) => p.severity === 'error').map((p) => `${i.path}: ${p.locator ? p.locator + ': ' : ''}${problemMessage(p)}`));
  // the file name is the incident folder's name made safe, and the group id (time + hash) that keeps it unique
  const stem = reportStem(g);
  const file = path.join(t.out, `${stem}.${EXTENSION[t.format]}`);
  // the report reads as analyze's does: paths relative to the incident's common folder (the summary keeps them as swept)
  const text = await renderReport(rebasePaths(r, { absolute: false }), t.format, { tz, style: 'tttt', context: 5, colour: false });
  await writeAtomic(file, text);
  row.report = path.basename(file);
  Object.assign(row, reportSeal(text));
  await writeAtomic(path.join(t.out, `${stem}.summary.json`), JSON.stringify(row) + '\n');
  return row;
}

parentPort?.on('message', async (m: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id: m.id, ok: true, value: await runTask(m.task) });
  } catch (err) {
    // a coded line that names the file (a full disk while writing a report: `…/x.json: ENOSPC: … [E_IO]`)
    parentPort!.postMessage({ id: m.id, ok: false, error: asForensicError(err).toLine().split('\n')[0] });
  }
});
