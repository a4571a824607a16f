import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { analyze } from '../correlate/analyze.js';
import { prepareZone, toRfc3339 } from '../model/instant.js';
import { exitStatus } from '../report/model.js';
import { rebasePaths } from '../report/paths.js';
import { EXTENSION, renderReport, type Format } from '../report/render.js';
import { writeAtomic } from './atomic.js';
import type { Group } from './group.js';
import { scanFile } from './scan.js';
import type { SummaryRow } from './summary.js';

export type Task =
  | { type: 'scan'; path: string; year?: number }
  | { type: 'analyze'; group: Group; format: Format; out: string; tz: string; year?: number; showSecrets?: boolean };


export async function runTask(t: Task): Promise<unknown> {
  if (t.type === 'scan') return scanFile(t.path, t.year);
  const tz = await prepareZone(t.tz);
  const row: SummaryRow = {
    group: t.group.id, first: t.group.first, last: t.group.last, hosts: [], files: t.group.files.length, bytes: t.group.bytes,
    findings: {}, firstFlip: null, exitStatus: null, report: null, status: 'done', problems: [],
  };
  const r = await analyze(t.group.files, { tz, year: t.year, showSecrets: t.showSecrets });
  row.hosts = [...new Set(r.inputs.map((i) => i.host).filter((h): h is string => h !== null))].sort();
  for (const f of r.findings) row.findings[f.kind] = (row.findings[f.kind] ?? 0) + 1;
  const flips = r.findings.filter((f) => f.kind === 'vrrp-source-translated' && f.firstSeen !== undefined).map((f) => f.firstSeen!);
  if (flips.length) row.firstFlip = toRfc3339(flips.reduce((a, b) => (a < b ? a : b)));
  row.exitStatus = exitStatus(r);
  row.problems = r.inputs.flatMap((i) => i.problems.filter((p) => p.severity === 'error').map((p) => `${i.path}: ${p.locator ? p.locator + ': ' : ''}${p.message}`));
  // the file name comes from the group id (time + hash), never from names found in the inputs
  const file = path.join(t.out, `${t.group.id}.${EXTENSION[t.format]}`);
  // the report reads as analyze's does: paths relative to the incident's common folder (the summary keeps them as swept)
  await writeAtomic(file, await renderReport(rebasePaths(r, { absolute: false }), t.format, { tz, style: 'tttt', context: 5, colour: false }));
  row.report = path.basename(file);
  await writeAtomic(path.join(t.out, `${t.group.id}.summary.json`), JSON.stringify(row) + '\n');
  return row;
}

parentPort?.on('message', async (m: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id: m.id, ok: true, value: await runTask(m.task) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, ok: false, error: (err as Error).message.split('\n')[0] });
  }
});
