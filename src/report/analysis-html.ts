import { captionOf } from './evidence-words.js';
import { explainedByWords } from './story-words.js';
import { CARP_COLUMNS, CARP_HEADING, carpRows, confidenceNote, conntrackLines, contexts, entryLine, hostFolderRows, inputGroups, pathsNote, sourceNotes, sourcesLine, when, type ReportView } from './analysis-view.js';
import { entrySummary } from './timeline-words.js';
import { reasonText, sameRouterText } from './analysis-words.js';
import { findingParts, findingSummary } from './finding-words.js';
import { briefSections } from './brief-words.js';
import { buildBrief } from './brief.js';
import { escapeHtml as h } from './html-escape.js';
import type { Finding, Report, TimelineEntry } from '../model/report.js';
import { svgTimeline } from './svg-timeline.js';

/** No network, no script: the policy forbids everything but the inline styles and the inline SVG. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1b1b;max-width:1280px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc}h3{font-size:15px;margin:18px 0 6px}
.verdict{border-left:5px solid #c62828;background:#fff4f4;padding:10px 14px}.verdict.ok{border-color:#2e7d32;background:#f3fbf3}
.sev-critical{color:#b71c1c;font-weight:700}.sev-warning{color:#e65100;font-weight:700}.sev-info{color:#555}
table{border-collapse:collapse;font-size:12px;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:8px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
.svgwrap{overflow-x:auto;border:1px solid #ddd;padding:4px}
@media print{body{margin:0}.svgwrap{overflow:visible}pre{white-space:pre-wrap}}
`;

/**
 * One self-contained HTML file to attach to a ticket: the verdict, the SVG timeline, findings with evidence and remedy,
 * inputs and routers. Every string from the inputs passes through escapeHtml; secrets were redacted in the model.
 */
export function reportHtml(r: Report, v: ReportView): string {
  const serious = r.findings.filter((f) => f.severity !== 'info');
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', `<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">', '<title>VRRP forensics report</title>', `<style>${CSS}</style></head><body>`);
  out.push('<h1>VRRP forensics report</h1>', `<p>Times in ${h(r.timezone)}; ${h(pathsNote(r))}. Schema ${h(r.schema)}.</p>`);
  out.push(`<section class="verdict brief${serious.length ? '' : ' ok'}" id="verdict">`);
  for (const [n, s] of briefSections(buildBrief(r), v).entries()) {
    out.push(n === 0 ? `<h2>${h(s.title)}</h2>` : `<h3>${h(s.title)}</h3>`);
    if (s.items.length) out.push(`<ul>${s.items.map((l) => `<li>${h(l)}</li>`).join('')}</ul>`);
    if (s.table) {
      out.push(`<table class="brief-table"><tr>${s.table.head.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`);
      for (const row of s.table.rows) out.push(`<tr>${row.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`);
      out.push('</table>');
    }
    for (const b of s.blocks ?? []) out.push(`<p>${h(b.caption)}:</p><pre class="${b.lang === 'sh' ? 'remedy' : 'cite'}">${h(b.lines.join('\n'))}</pre>`);
  }
  out.push('</section>');
  if (v.brief) {
    out.push('</body></html>');
    return out.join('\n') + '\n';
  }
  out.push('<h2>Timeline</h2>', `<div class="svgwrap">${svgTimeline(r, { tz: v.tz })}</div>`);
  out.push('<h2>Findings</h2>');
  const ctxs = contexts(r, v);
  for (const f of r.findings) out.push(findingHtml(f, r, v, ctxs.get(f.id)));
  out.push('<h2>Routers</h2><table><tr><th>router</th><th>addresses</th><th>MACs</th><th>vrids</th><th>SNAT to</th></tr>');
  for (const rt of r.routers) out.push(`<tr><td>${h(rt.name)}</td><td>${h(rt.addresses.join(', '))}</td><td>${h(rt.macs.join(', '))}</td><td>${h(rt.vrids.join(', '))}</td><td>${h(rt.translatedTo.join(', '))}</td></tr>`);
  out.push('</table>');
  const carp = carpRows(r);
  if (carp.length) {
    out.push(`<h2>${h(CARP_HEADING)}</h2><table><tr>${CARP_COLUMNS.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`);
    for (const row of carp) out.push(`<tr>${row.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`);
    out.push('</table>');
  }
  if (r.clocks.length) {
    out.push('<h2>Clocks</h2><table><tr><th>host</th><th>offset (ms)</th><th>samples</th><th>applied</th></tr>');
    for (const c of r.clocks) out.push(`<tr><td>${h(c.host)}</td><td>${(Number(c.offsetNs) / 1e6).toFixed(3)}</td><td>${c.samples}</td><td>${c.applied ? 'yes' : 'no'}</td></tr>`);
    out.push('</table>');
  }
  // the merged timeline itself, bounded: the report stays a file people can open
  const TL = 5000;
  out.push(`<h2>Timeline entries</h2><p>${Math.min(TL, r.timeline.length)} of ${r.timeline.length} entries${r.timelineDropped ? ` (${r.timelineDropped} more beyond the analysis cap)` : ''}; runs of one sender or one repeated line are one entry.</p>`);
  out.push('<table class="timeline-entries"><tr><th>time</th><th>host</th><th>source</th><th>event</th><th>repeat</th><th>where</th></tr>');
  for (const e of r.timeline.slice(0, TL)) out.push(`<tr><td>${h(when(e.at, v))}</td><td>${h(e.host ?? '')}</td><td>${h(e.source)}</td><td>${h(entrySummary(e))}</td><td>${e.repeat ?? 1}</td><td>${h(`${e.file} ${e.locator}`)}</td></tr>`);
  out.push('</table>');
  // inputs last and compact: one row per host with its sources
  const groups = inputGroups(r);
  out.push(`<h2>Inputs</h2><p>${h(pathsNote(r))}.</p>`);
  if (r.hostFolders?.length) {
    out.push('<table class="hosts"><tr><th>folder</th><th>host</th><th>from</th></tr>');
    for (const row of hostFolderRows(r.hostFolders)) out.push(`<tr>${row.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`);
    out.push('</table>');
  }
  out.push(`<table class="inputs"><tr><th>host</th><th>first</th><th>last</th><th>records</th><th>sources</th><th>notes</th></tr>`);
  for (const g of groups.hosts) out.push(`<tr><td>${h(g.host)}</td><td>${h(when(g.first, v))}</td><td>${h(when(g.last, v))}</td><td>${g.records}</td><td>${h(sourcesLine(g))}</td><td>${h(sourceNotes(g).join('; '))}</td></tr>`);
  out.push('</table>');
  if (groups.unknown.length) out.push(`<p class="unknown-inputs">Not evidence this tool reads (skipped): ${h(groups.unknown.map((i) => i.path).join(', '))}.</p>`);
  if (r.emptyFiles) out.push(`<p>${r.emptyFiles} empty file(s) in the given folders were skipped.</p>`);
  out.push('</body></html>');
  return out.join('\n') + '\n';
}

function findingHtml(f: Finding, r: Report, v: ReportView, ctx?: { entries: TimelineEntry[]; sameAs?: string }): string {
  const d = findingParts(f, v.tz);
  const out = [`<section class="finding ${h(f.kind)}" id="${h(f.id)}"><h3><span class="sev-${h(f.severity)}">${h(f.id)} ${h(f.severity)}</span> ${h(f.kind)}${f.vrid !== null ? ` · vrid ${f.vrid}` : ''}</h3>`, `<p>${h(findingSummary(f, { tz: v.tz, findings: r.findings }) + confidenceNote(d))}</p>`];
  if (d.sameRouter?.length) out.push(`<p>Same router, rewritten source:</p><ul>${d.sameRouter.map((s) => `<li>${h(sameRouterText(s, v.tz))}</li>`).join('')}</ul>`);
  if (d.cause) out.push(`<p>Cause: ${h(d.cause)}</p>`);
  if (f.kind === 'split-brain' && f.explainedBy?.length) out.push(`<p>${h(explainedByWords(f.explainedBy))}</p>`);
  const c = d.conntrack;
  if (c) {
    out.push(`<p>Conntrack entry:</p><pre class="conntrack">${h(conntrackLines(c, v, f.router).join('\n'))}</pre>`);
  }
  if (d.transitions?.length) {
    out.push('<table class="transitions"><tr><th>time</th><th>host</th><th>instance</th><th>from</th><th>to</th><th>reason</th><th>where</th></tr>');
    for (const t of d.transitions) out.push(`<tr><td>${h(when(t.at, v))}</td><td>${h(t.host ?? '')}</td><td>${h(t.instance ?? '')}</td><td>${h(t.from ?? '')}</td><td>${h(t.to)}</td><td>${h(t.reason ? reasonText(t.reason) : '')}</td><td>${h(`${t.file}:${t.line}`)}</td></tr>`);
    out.push('</table>');
  }
  out.push(`<p>Evidence:</p><pre class="evidence">${h(f.evidence.slice(0, 30).map((e) => `${when(e.at, v)} ${e.file} ${e.locator}: ${captionOf(e)}`).join('\n'))}</pre>`);
  if (d.remedy?.length) out.push(`<p>Remedy:</p><pre class="remedy">${h(d.remedy.join('\n'))}</pre>`);
  if (ctx?.sameAs) out.push(`<p>Timeline (±${v.context} s): as for <a href="#${h(ctx.sameAs)}">${h(ctx.sameAs)}</a>.</p>`);
  else if (ctx?.entries.length) out.push(`<p>Timeline (±${v.context} s):</p><pre class="context">${h(ctx.entries.map((e) => entryLine(e, v)).join('\n'))}</pre>`);
  out.push('</section>');
  return out.join('\n');
}
