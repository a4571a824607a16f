import { findingIdsAt, when, type ReportView } from './analysis-view.js';
import { entrySummary } from './timeline-words.js';
import type { Report } from '../model/report.js';
import { csvCell } from './sanitize.js';

export const TIMELINE_COLUMNS = ['time', 'host', 'source', 'kind', 'vrid', 'summary', 'repeat', 'until', 'file', 'locator', 'findings'];

/** The timeline as CSV (csv-stringify), each entry tagged with the findings whose window it falls in. */
export async function timelineCsv(r: Report, v: ReportView): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows: string[][] = [TIMELINE_COLUMNS];
  for (const e of r.timeline) {
    const ids = findingIdsAt(r, e.at).join(' ');
    rows.push([when(e.at, v), e.host ?? '', e.source, e.kind, e.vrid === undefined ? '' : String(e.vrid), entrySummary(e), String(e.repeat ?? 1), e.until ? when(e.until, v) : '', e.file, e.locator, ids].map(csvCell));
  }
  return stringify(rows);
}

