import { captionOf } from './evidence-words.js';
import { explainedByWords } from './story-words.js';
import { CARP_COLUMNS, CARP_HEADING, carpRows, confidenceNote, conntrackLines, contexts, entryLine, hostFolderRows, inputGroups, pathsNote, sourceNotes, sourcesLine, when, type ReportView } from './analysis-view.js';
import { clockNote, reasonText, sameRouterText } from './analysis-words.js';
import { findingParts, findingSummary } from './finding-words.js';
import { briefSections } from './brief-words.js';
import { buildBrief } from './brief.js';
import type { Finding, Report, TimelineEntry } from '../model/report.js';
import { forTerminal } from './sanitize.js';

const COLOUR = { critical: '\u001b[1;31m', warning: '\u001b[33m', info: '\u001b[2m', reset: '\u001b[0m', bold: '\u001b[1m' };

/**
 * The terminal report: the verdict first (one screen), then inputs, routers, each finding with its evidence and the
 * timeline around it. Every input-derived string goes through forTerminal; colour only when asked or on a TTY.
 */
export function reportText(r: Report, v: ReportView): string {
  const paint = (s: string, c: keyof typeof COLOUR) => (v.colour ? COLOUR[c] + s + COLOUR.reset : s);
  const out: string[] = [];
  const safe = (s: string) => forTerminal(s);
  out.push(...briefText(r, v, paint));
  if (v.brief) return out.join('\n') + '\n';
  const serious = r.findings.filter((f) => f.severity !== 'info');
  const info = r.findings.filter((f) => f.severity === 'info');
  out.push('', paint(`Findings (${serious.length} to act on, ${info.length} info)`, 'bold'));
  const ctx = contexts(r, v);
  for (const f of serious) {
    // inputs are made inert first; the colour codes are ours and are added after
    const lines = findingText(f, r, v, ctx.get(f.id)).map(safe);
    lines[1] = `  ${paint(`${f.id} [${f.severity}] ${f.kind}`, f.severity)}${f.vrid !== null ? ` vrid ${f.vrid}` : ''}`;
    out.push(...lines);
  }
  // one line each, but still with their evidence: where each claim comes from
  for (const f of info) {
    const cite = f.evidence.length ? ` [${f.evidence.map((e) => `${e.file} ${e.locator}`).slice(0, 3).join('; ')}]` : '';
    out.push(`  ${paint(f.id + ' [info]', 'info')} ${safe(findingSummary(f, { tz: v.tz, findings: r.findings }) + cite)}`);
  }
  if (r.timelineDropped) out.push('', `(${r.timelineDropped} timeline entries beyond the cap were not kept)`);
  out.push('', paint('Routers', 'bold'));
  for (const rt of r.routers) {
    out.push(safe(`  ${rt.name}: addresses ${rt.addresses.join(', ') || '?'}; MACs ${rt.macs.join(', ') || 'none of its own seen'}; vrids ${rt.vrids.join(', ') || '?'}${rt.translatedTo.length ? `; SNAT to ${rt.translatedTo.join(', ')}` : ''}`));
  }
  const carp = carpRows(r);
  if (carp.length) {
    out.push('', paint(CARP_HEADING, 'bold'));
    for (const row of carp) out.push(safe(`  ${row.map((cell, i) => (cell ? `${CARP_COLUMNS[i]} ${cell}` : '')).filter(Boolean).join('; ')}`));
  }
  if (r.clocks.length) {
    out.push('', paint('Clocks (log time − capture time, from "Entering MASTER STATE" vs the first advert on the wire)', 'bold'));
    for (const c of r.clocks) out.push(safe(`  ${c.host}: ${(Number(c.offsetNs) / 1e6).toFixed(3)} ms (${c.samples} samples)${c.applied ? ', applied' : ', not applied (--align-clocks)'}${clockNote(c) ? ` — ${clockNote(c)}` : ''}`));
  }
  out.push('', paint(`Inputs (${pathsNote(r)}; times shown in ${r.timezone})`, 'bold'));
  // where each folder's host name came from, first: a wrong host is the costliest mistake after a missed finding
  const folders = hostFolderRows(r.hostFolders ?? []);
  const width = Math.max(0, ...folders.map(([f]) => f.length));
  for (const [folder, host, from] of folders) out.push(safe(`  ${folder.padEnd(width)}  → ${host} (from ${from})`));
  const groups = inputGroups(r);
  for (const g of groups.hosts) {
    const span = g.first === null ? 'no time' : g.first === g.last ? `at ${when(g.first, v)}` : `${when(g.first, v)} … ${when(g.last, v)}`;
    out.push(safe(`  ${g.host}: ${g.sources.length} file(s), ${g.records} records, ${span}: ${sourcesLine(g)}`));
    for (const n of sourceNotes(g)) out.push(safe(`    ${n}`));
  }
  if (groups.unknown.length) out.push(safe(`  not evidence this tool reads (skipped): ${groups.unknown.map((i) => i.path).join(', ')}`));
  if (r.emptyFiles) out.push(`  ${r.emptyFiles} empty file(s) in the given folders, skipped`);
  return out.join('\n') + '\n';
}

/** The one-page brief for a terminal: section titles in bold, sentences indented, tables padded. */
function briefText(r: Report, v: ReportView, paint: (s: string, c: keyof typeof COLOUR) => string): string[] {
  const out: string[] = [];
  for (const s of briefSections(buildBrief(r), v)) {
    if (out.length) out.push('');
    out.push(paint(s.title, 'bold'));
    for (const i of s.items) out.push('  ' + forTerminal(i));
    if (s.table) {
      const rows = [s.table.head, ...s.table.rows].map((row) => row.map(forTerminal));
      const w = s.table.head.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
      for (const row of rows) out.push('  ' + row.map((x, c) => x.padEnd(w[c])).join('  ').trimEnd());
    }
    for (const b of s.blocks ?? []) out.push(`  ${forTerminal(b.caption)}:`, ...b.lines.map((l) => '    ' + forTerminal(l)));
  }
  return out;
}

function findingText(f: Finding, r: Report, v: ReportView, ctx?: { entries: TimelineEntry[]; sameAs?: string }): string[] {
  const d = findingParts(f, v.tz);
  const out = ['', '', `    ${findingSummary(f, { tz: v.tz, findings: r.findings })}${confidenceNote(d)}`];
  if (d.sameRouter?.length) {
    out.push('    Same router, rewritten source:');
    for (const s of d.sameRouter) out.push(`      - ${sameRouterText(s, v.tz)}`);
  }
  if (d.recoveredSource) out.push(`    Real source recovered from the VRRPv3 checksum: ${d.recoveredSource}`);
  if (d.cause) out.push(`    Cause: ${d.cause}`);
  if (f.kind === 'split-brain' && f.explainedBy?.length) out.push(`    ${explainedByWords(f.explainedBy)}`);
  const c = d.conntrack;
  if (c) {
    out.push('    Conntrack entry:', ...conntrackLines(c, v, f.router).map((l) => `      ${l}`));
  }
  if (d.transitions?.length) {
    out.push('    Transitions:');
    for (const t of d.transitions) out.push(`      ${when(t.at, v)} ${t.host ?? '?'} ${t.instance ?? ''} ${t.from ?? '?'} → ${t.to}${t.reason ? `: ${reasonText(t.reason)}` : ''} [${t.file}:${t.line}]`);
  }
  out.push('    Evidence:');
  for (const e of f.evidence.slice(0, 12)) out.push(`      ${when(e.at, v)} ${e.file} ${e.locator}: ${captionOf(e)}`);
  if (f.evidence.length > 12) out.push(`      … ${f.evidence.length - 12} more (see --json)`);
  if (d.remedy?.length) {
    out.push('    Remedy:');
    for (const l of d.remedy) out.push(`      ${l}`);
  }
  if (ctx?.sameAs) out.push(`    Timeline (±${v.context} s): as for ${ctx.sameAs} above.`);
  else if (ctx?.entries.length) {
    out.push(`    Timeline (±${v.context} s):`);
    for (const e of ctx.entries) out.push(`      ${entryLine(e, v)}`);
  }
  return out;
}
