import { timelineCsv } from './analysis-csv.js';
import { reportHtml } from './analysis-html.js';
import { reportJson } from './analysis-json.js';
import { reportMarkdown } from './analysis-markdown.js';
import { reportText } from './analysis-text.js';
import type { ReportView } from './analysis-view.js';
import { l2tCsv, timesketchJsonl } from './exports.js';
import type { Report } from '../model/report.js';
import { svgTimeline } from './svg-timeline.js';

import type { Format } from './formats.js';

export { EXTENSION, FORMATS, type Format } from './formats.js';

/** The one place a report model becomes a document in a given format. */
export async function renderReport(r: Report, format: Format, v: ReportView): Promise<string | Uint8Array> {
  switch (format) {
    case 'json': return reportJson(r, { brief: v.brief });
    case 'markdown': return reportMarkdown(r, v);
    case 'csv': return timelineCsv(r, v);
    case 'html': return reportHtml(r, v);
    case 'timesketch': return timesketchJsonl(r);
    case 'l2tcsv': return l2tCsv(r);
    // the timeline picture alone, to paste into a ticket or a chat
    case 'svg': return svgTimeline(r, { tz: v.tz }) + '\n';
    case 'png': return (await import('./png.js')).svgToPng(svgTimeline(r, { tz: v.tz }));
    default: return reportText(r, v);
  }
}
