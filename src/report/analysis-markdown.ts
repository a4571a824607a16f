import { captionOf } from './evidence-words.js';
import { explainedByWords } from './story-words.js';
import { CARP_COLUMNS, CARP_HEADING, carpRows, confidenceNote, conntrackLines, contexts, entryLine, hostFolderRows, inputGroups, pathsNote, sourceNotes, sourcesLine, when, type ReportView } from './analysis-view.js';
import { reasonText, sameRouterText } from './analysis-words.js';
import { findingParts, findingSummary } from './finding-words.js';
import { briefSections } from './brief-words.js';
import { buildBrief } from './brief.js';
import type { Report } from '../model/report.js';
import { forTerminal } from './sanitize.js';

/** Text in markdown prose or a table cell: no raw HTML, no table breaks, no emphasis or links from the inputs. */
export function mdText(s: string): string {
  return forTerminal(s).replace(/[\\`*_{}[\]<>#+!|~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c)).replace(/\r?\n/g, ' ');
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
export function mdCode(lines: string[], lang = 'text'): string {
  const body = lines.map(forTerminal).join('\n');
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** A report that pastes into a ticket: the one-page brief, then findings, routers and inputs. */
export function reportMarkdown(r: Report, v: ReportView): string {
  const out: string[] = ['# VRRP forensics report', '', ...briefMarkdown(r, v)];
  if (v.brief) return tidy(out);
  out.push('', '## Findings', '');
  const ctxs = contexts(r, v);
  for (const f of r.findings) {
    const d = findingParts(f, v.tz);
    out.push(`### ${f.id} — ${mdText(f.kind)} (${f.severity})`, '', mdText(findingSummary(f, { tz: v.tz, findings: r.findings }) + confidenceNote(d)), '');
    if (d.sameRouter?.length) out.push(...d.sameRouter.map((s) => `- ${mdText(sameRouterText(s, v.tz))}`), '');
    if (d.cause) out.push(`Cause: ${mdText(d.cause)}`, '');
    if (f.kind === 'split-brain' && f.explainedBy?.length) out.push(mdText(explainedByWords(f.explainedBy)), '');
    if (d.conntrack) {
      const c = d.conntrack;
      out.push(`Conntrack entry \`${mdText(`${c.file}:${c.line}`)}\`, created ${when(c.createdAt, v)} (${c.createdAtFrom ?? 'unknown'}), ${mdText(c.relation.replace(/-/g, ' '))}.`, '');
      out.push(mdCode(conntrackLines(c, v, f.router)), '');
    }
    if (d.transitions?.length) {
      out.push('| time | host | instance | from | to | reason | where |', '|---|---|---|---|---|---|---|');
      for (const t of d.transitions) out.push(`| ${[when(t.at, v), t.host ?? '', t.instance ?? '', t.from ?? '', t.to, t.reason ? reasonText(t.reason) : '', `${t.file}:${t.line}`].map(mdText).join(' | ')} |`);
      out.push('');
    }
    out.push(mdCode(f.evidence.slice(0, 20).map((e) => `${when(e.at, v)} ${e.file} ${e.locator}: ${captionOf(e)}`)), '');
    if (d.remedy?.length) out.push('Remedy:', '', mdCode(d.remedy), '');
    const ctx = ctxs.get(f.id);
    if (ctx?.sameAs) out.push(`Timeline (±${v.context} s): as for ${ctx.sameAs}.`, '');
    else if (ctx?.entries.length) out.push(`Timeline (±${v.context} s):`, '', mdCode(ctx.entries.map((e) => entryLine(e, v))), '');
  }
  out.push('', '## Routers', '', '| router | addresses | MACs | vrids | SNAT to |', '|---|---|---|---|---|');
  for (const rt of r.routers) out.push(`| ${[rt.name, rt.addresses.join(', '), rt.macs.join(', '), rt.vrids.join(', '), rt.translatedTo.join(', ')].map(mdText).join(' | ')} |`);
  const carp = carpRows(r);
  if (carp.length) {
    out.push('', `## ${CARP_HEADING}`, '', `| ${CARP_COLUMNS.join(' | ')} |`, `|${CARP_COLUMNS.map(() => '---|').join('')}`);
    for (const row of carp) out.push(`| ${row.map(mdText).join(' | ')} |`);
  }
  const groups = inputGroups(r);
  out.push('', '## Inputs', '', `${mdText(pathsNote(r))}; times in ${mdText(r.timezone)}.`, '');
  if (r.hostFolders?.length) {
    out.push('| folder | host | from |', '|---|---|---|');
    for (const row of hostFolderRows(r.hostFolders)) out.push(`| ${row.map(mdText).join(' | ')} |`);
    out.push('');
  }
  out.push('| host | first | last | records | sources |', '|---|---|---|---|---|');
  for (const g of groups.hosts) out.push(`| ${[g.host, when(g.first, v), when(g.last, v), String(g.records), sourcesLine(g)].map(mdText).join(' | ')} |`);
  const notes = groups.hosts.flatMap((g) => sourceNotes(g));
  if (notes.length) out.push('', mdCode(notes));
  if (groups.unknown.length) out.push('', `Not evidence this tool reads (skipped): ${mdText(groups.unknown.map((i) => i.path).join(', '))}.`);
  if (r.emptyFiles) out.push('', `${r.emptyFiles} empty file(s) in the given folders were skipped.`);
  return tidy(out);
}

/** The brief as Markdown that renders the same in GitHub, GitLab and Jira comments: headings, lists, one table, fences. */
export function briefMarkdown(r: Report, v: ReportView): string[] {
  const out: string[] = [];
  for (const [n, s] of briefSections(buildBrief(r), v).entries()) {
    out.push(n === 0 ? `## ${mdText(s.title)}` : `### ${mdText(s.title)}`, '');
    if (s.items.length) out.push(...s.items.map((i) => `- ${mdText(i)}`), '');
    if (s.table) {
      out.push(`| ${s.table.head.map(mdText).join(' | ')} |`, `|${s.table.head.map(() => '---').join('|')}|`);
      for (const row of s.table.rows) out.push(`| ${row.map(mdText).join(' | ')} |`);
      out.push('');
    }
    for (const b of s.blocks ?? []) out.push(`${mdText(b.caption)}:`, '', mdCode(b.lines, b.lang), '');
  }
  out.push(`_${mdText(pathsNote(r))}; times in ${mdText(r.timezone)}._`);
  return out;
}

/** No double blank lines; one final newline. */
function tidy(lines: string[]): string {
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n').replace(/\n+$/, '') + '\n';
}
