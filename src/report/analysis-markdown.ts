import { CARP_COLUMNS, CARP_HEADING, carpRows, conntrackLines, contexts, entryLine, hostFolderRows, verdictLines, when, type ReportView } from './analysis-view.js';
import type { Report } from './model.js';
import { forTerminal } from './sanitize.js';

/** Text in markdown prose or a table cell: no raw HTML, no table breaks, no emphasis or links from the inputs. */
export function mdText(s: string): string {
  return forTerminal(s).replace(/[\\`*_{}[\]<>()#+!|~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c)).replace(/\r?\n/g, ' ');
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
export function mdCode(lines: string[]): string {
  const body = lines.map(forTerminal).join('\n');
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${body}\n${fence}`;
}

/** A report that pastes into a ticket: headings, tables, and evidence in code blocks. */
export function reportMarkdown(r: Report, v: ReportView): string {
  const out: string[] = ['# VRRP forensics report', '', '## Verdict', ''];
  for (const l of verdictLines(r)) out.push(l.startsWith('  ') ? '' : `- ${mdText(l)}`);
  const fix = r.findings.find((f) => f.severity !== 'info' && f.remedy?.length);
  if (fix) out.push('', mdCode(fix.remedy!));
  out.push('', `## Inputs`, '', `Times in ${mdText(r.timezone)}.`, '');
  if (r.hostFolders?.length) {
    out.push('| folder | host | from |', '|---|---|---|');
    for (const row of hostFolderRows(r.hostFolders)) out.push(`| ${row.map(mdText).join(' | ')} |`);
    out.push('');
  }
  out.push('| file | kind | format | host | records | first | last | problems |', '|---|---|---|---|---|---|---|---|');
  for (const i of r.inputs) {
    out.push(`| ${[i.path, i.kind, `${i.format ?? ''}${i.zone ? ` (read in ${i.zone})` : ''}`, i.host ?? '', String(i.records), when(i.first, v), when(i.last, v), i.note ?? i.problems.map((p) => `${p.locator} ${p.message}`).slice(0, 3).join('; ')].map(mdText).join(' | ')} |`);
  }
  out.push('', '## Routers', '', '| router | addresses | MACs | vrids | SNAT to |', '|---|---|---|---|---|');
  for (const rt of r.routers) out.push(`| ${[rt.name, rt.addresses.join(', '), rt.macs.join(', '), rt.vrids.join(', '), rt.translatedTo.join(', ')].map(mdText).join(' | ')} |`);
  const carp = carpRows(r);
  if (carp.length) {
    out.push('', `## ${CARP_HEADING}`, '', `| ${CARP_COLUMNS.join(' | ')} |`, `|${CARP_COLUMNS.map(() => '---|').join('')}`);
    for (const row of carp) out.push(`| ${row.map(mdText).join(' | ')} |`);
  }
  out.push('', '## Findings', '');
  const ctxs = contexts(r, v);
  for (const f of r.findings) {
    out.push(`### ${f.id} — ${mdText(f.kind)} (${f.severity})`, '', mdText(f.summary), '');
    if (f.sameRouter?.length) out.push(...f.sameRouter.map((s) => `- ${mdText(s)}`), '');
    if (f.cause) out.push(`Cause: ${mdText(f.cause)}`, '');
    if (f.conntrack) {
      const c = f.conntrack;
      out.push(`Conntrack entry \`${mdText(`${c.file}:${c.line}`)}\`, created ${when(c.createdAt, v)} (${c.createdAtFrom ?? 'unknown'}), ${mdText(c.relation.replace(/-/g, ' '))}.`, '');
      out.push(mdCode(conntrackLines(c, v)), '');
    }
    if (f.transitions?.length) {
      out.push('| time | host | instance | from | to | reason | where |', '|---|---|---|---|---|---|---|');
      for (const t of f.transitions) out.push(`| ${[when(t.at, v), t.host ?? '', t.instance ?? '', t.from ?? '', t.to, t.reason ?? '', `${t.file}:${t.line}`].map(mdText).join(' | ')} |`);
      out.push('');
    }
    out.push(mdCode(f.evidence.slice(0, 20).map((e) => `${when(e.at, v)} ${e.file} ${e.locator}: ${e.text}`)), '');
    if (f.remedy?.length) out.push('Remedy:', '', mdCode(f.remedy), '');
    const ctx = ctxs.get(f.id);
    if (ctx?.sameAs) out.push(`Timeline (±${v.context} s): as for ${ctx.sameAs}.`, '');
    else if (ctx?.entries.length) out.push(`Timeline (±${v.context} s):`, '', mdCode(ctx.entries.map((e) => entryLine(e, v))), '');
  }
  return out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n') + '\n';
}
