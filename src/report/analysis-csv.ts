import { when, type ReportView } from './analysis-view.js';
import type { Report } from './model.js';
import { csvCell } from './sanitize.js';

export const TIMELINE_COLUMNS = ['time', 'host', 'source', 'kind', 'vrid', 'summary', 'repeat', 'until', 'file', 'locator', 'findings'];

/** The timeline as CSV (csv-stringify), each entry tagged with the findings whose window it falls in. */
export async function timelineCsv(r: Report, v: ReportView): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows: string[][] = [TIMELINE_COLUMNS];
  for (const e of r.timeline) {
    const ids = r.findings.filter((f) => f.severity !== 'info' && inside(e.at, f)).map((f) => f.id).join(' ');
    rows.push([when(e.at, v), e.host ?? '', e.source, e.kind, e.vrid === undefined ? '' : String(e.vrid), e.summary, String(e.repeat ?? 1), e.until ? when(e.until, v) : '', e.file, e.locator, ids].map(csvCell));
  }
  return stringify(rows);
}

function inside(at: bigint, f: Report['findings'][number]): boolean {
  const a = f.firstSeen ?? f.start;
  const b = f.revertedAt ?? f.lastSeen ?? f.end;
  return a !== undefined && at >= a && (b === null || b === undefined || at <= b);
}
