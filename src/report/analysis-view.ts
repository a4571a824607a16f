import { formatInstant, type TimeStyle } from '../model/instant.js';
import { entrySummary } from './timeline-words.js';
import { findingSpan, type Basis, type Check, type Confidence, type ConntrackCause, type Coverage, type Finding, type HostFolder, type HostSource, type InputSummary, type Report, type TimelineEntry } from '../model/report.js';
import { persistenceText, ruleChangeNote } from './finding-words.js';
import { birthNote } from './conntrack-words.js';
import { birthCauseWords, lifeWords, shiftWords } from './story-words.js';
import { plural } from './words.js';
import { inputNote, inputProblems } from './analysis-words.js';

export interface ReportView {
  tz: string;
  style: TimeStyle;
  /** seconds of timeline around each finding */
  context: number;
  colour: boolean;
  /** the one-page summary alone (--brief) */
  brief?: boolean;
}

/** Where the report's paths are from, for the reader. */
export function pathsNote(r: Report): string {
  return r.absolutePaths ? 'paths absolute' : r.root ? `paths relative to ${r.root}` : 'paths as given';
}

const SEC = 1_000_000_000n;
/** start-up chatter: in the timeline, but not what a finding's context is about */
const QUIET = new Set(['raw', 'command-line', 'child-start']);

export function when(ns: bigint | null | undefined, v: ReportView): string {
  return ns === null || ns === undefined ? '—' : formatInstant(ns, v.tz, v.style, 6);
}

/** The moment a finding is about, and the end of it, for the context window. */
export function span(f: Finding): [bigint, bigint] | null {
  const a = findingSpan(f).first;
  if (a === undefined) return null;
  const b = endOf(f) ?? a;
  return [a, b];
}

/** A finding's end: a translation's revert, else its last advert, else the end of its span (null: open). */
export function endOf(f: Finding): bigint | null | undefined {
  return (f.kind === 'vrrp-source-translated' ? f.revertedAt : undefined) ?? findingSpan(f).last;
}

/** The findings above info whose span (first advert or start, to revert, last advert or end; open if no end) holds `at`. */
export function findingIdsAt(r: Report, at: bigint): string[] {
  return r.findings.filter((f) => {
    if (f.severity === 'info') return false;
    const a = findingSpan(f).first;
    const b = endOf(f);
    return a !== undefined && at >= a && (b === null || b === undefined || at <= b);
  }).map((f) => f.id);
}

/** Timeline entries within ±context s of a finding's start (and of its end, for long ones), at most `limit`. */
export function contextOf(r: Report, f: Finding, v: ReportView, limit = 40): TimelineEntry[] {
  const s = span(f);
  if (!s) return [];
  const c = BigInt(v.context) * SEC;
  const near = (e: TimelineEntry) => {
    const end = e.until ?? e.at;
    return (end >= s[0] - c && e.at <= s[0] + c) || (end >= s[1] - c && e.at <= s[1] + c);
  };
  return r.timeline.filter((e) => !QUIET.has(e.kind) && near(e)).slice(0, limit);
}

/**
 * The timeline context of every finding above info, in report order; a finding whose window holds exactly the entries
 * of an earlier one points to it instead of repeating them (a split brain and its cause often share a window).
 */
export function contexts(r: Report, v: ReportView): Map<string, { entries: TimelineEntry[]; sameAs?: string }> {
  const out = new Map<string, { entries: TimelineEntry[]; sameAs?: string }>();
  const seen: { id: string; entries: TimelineEntry[] }[] = [];
  for (const f of r.findings) {
    if (f.severity === 'info') continue;
    const entries = contextOf(r, f, v);
    const same = seen.find((s) => s.entries.length === entries.length && s.entries.every((e, i) => e === entries[i]));
    if (same && entries.length) out.set(f.id, { entries, sameAs: same.id });
    else {
      out.set(f.id, { entries });
      seen.push({ id: f.id, entries });
    }
  }
  return out;
}

const CONFIDENCE: Record<Confidence, string> = { proven: 'proven', strong: 'strong evidence', suggestive: 'suggestive only' };
const BASIS: Record<Basis, string> = {
  'capture-known-translation': 'adverts on the wire from a known translation of its address',
  'capture-same-sender': 'the same sender on the wire under an address not its own',
  'capture-v3-checksum': 'a VRRPv3 checksum that holds only for the real source',
  'capture-sent-by-us': 'captured leaving the router itself',
  'conntrack-entry': 'a conntrack entry whose reply tuple names a third address',
  'snat-rule': 'a SNAT rule in its saved ruleset',
  'peer-log': 'a peer\'s keepalived naming an off-link advert source',
};
const CHECK: Record<Check, string> = {
  'wire-sources': 'the advert sources on the wire (a capture)',
  'conntrack-entry': 'the conntrack entry behind a translation (conntrack dumps or events)',
  'rule-in-force': 'the nat rule in force and what the fix must change (iptables-save / nft ruleset)',
  transitions: 'keepalived\'s state changes and their reasons (keepalived logs)',
  configuration: 'the configured addresses, priorities and auth (keepalived.conf)',
  'peer-view': 'what the other router saw (evidence from a second host)',
};

/** Thin evidence: what the verdict rests on, and what it could not look at. */
export function coverageLines(c: Coverage): string[] {
  return [
    `Thin evidence (${c.sources.join(', ')}; ${c.hosts === 1 ? 'one host' : c.hosts === 0 ? 'no host named' : `${c.hosts} hosts`}). Checked: ${c.checked.map((k) => CHECK[k]).join('; ') || 'nothing'}.`,
    `Could not check: ${c.unchecked.map((k) => CHECK[k]).join('; ')}.`,
  ];
}

/** CARP speakers as table cells (every format shows the same columns); the heading says they are not VRRP. */
export const CARP_HEADING = 'CARP speakers (IP protocol 112 but not VRRP: never counted in a VRRP election)';
export const CARP_COLUMNS = ['source', 'vhid', 'advbase', 'advskew', 'adverts', 'evidence', 'translated from'];

export function carpRows(r: Report): string[][] {
  return (r.carp ?? []).map((c) => [
    `${c.src} > ${c.dst}`, String(c.vhid), c.advbase.join(','), c.advskew.join(','),
    `${c.adverts}${c.badChecksums ? ` (${c.badChecksums} bad checksums)` : ''}`, `${c.file} ${c.first.locator} … ${c.last.locator}`, c.translatedFrom ?? '',
  ]);
}

/** How sure a finding is, and on what it rests (findings from partial evidence carry these). */
export function confidenceNote(f: { confidence?: Confidence; basis?: Basis[] }, brief = false): string {
  if (!f.confidence) return '';
  // the brief names the basis only when it is not proof: that is what the reader must weigh
  return brief && f.confidence === 'proven' ? ' (proven)' : ` (${CONFIDENCE[f.confidence]}: ${(f.basis ?? []).map((b) => BASIS[b]).join('; ')})`;
}

/** When nothing could be read: said as such, never as an all-clear. */
export const NO_EVIDENCE = 'No evidence could be read from the inputs: no capture, conntrack dump or event log, keepalived log, keepalived.conf or ruleset gave a record or a time. This is no all-clear.';

export function entryLine(e: TimelineEntry, v: ReportView): string {
  const rep = e.repeat && e.repeat > 1 ? ` (×${e.repeat} until ${when(e.until, v)})` : '';
  return `${when(e.at, v)}  ${(e.host ?? '-').padEnd(8)} ${e.source.padEnd(9)} ${entrySummary(e)}${rep}  [${e.file} ${e.locator}]`;
}

/** The conntrack entry behind a finding, as the lines every format shows (text, Markdown, HTML). */
export function conntrackLines(c: ConntrackCause, v: ReportView, router: string | null = null): string[] {
  const gone = (d: NonNullable<ConntrackCause['destroyed']>) => `destroyed ${when(d.at, v)}${d.byUser ? ` by ${d.byUser}` : ''} (${d.file}:${d.line})`;
  const out = [
    `${c.file}:${c.line}: ${c.text}`,
    `created ${when(c.createdAt, v)} (${c.createdAtFrom ?? 'unknown'}${c.createdAtDetail ? `: ${birthNote(c.createdAtDetail)}` : ''}) — ${c.relation.replace(/-/g, ' ')}${c.relationPrecision === 'second' ? ' (decided at the 1 s precision of that time)' : ''}`,
  ];
  if (c.birthCause) out.push(birthCauseWords(c.birthCause, v.tz));
  if (c.rule) out.push(`rule in force: ${c.rule.file}:${c.rule.line}: ${c.rule.text} (${c.rule.decision})`);
  if (c.rulesetShift) out.push(shiftWords(c.rulesetShift, v.tz));
  for (const ch of c.ruleChanges ?? []) out.push(`later: ${ch.file}${ch.line ? `:${ch.line}` : ''} at ${when(ch.at, v)}: ${ruleChangeNote(ch, v.tz)}`);
  if (c.destroyed) out.push(gone(c.destroyed));
  for (const n of c.renewals ?? []) out.push(`made again ${when(n.at, v)}, translated the same way (${n.file}:${n.line})${n.destroyed ? `; ${gone(n.destroyed)}` : ''}`);
  // an idle entry's life is what the evidence shows, not "will never expire"
  if (c.life?.state === 'idle' && !c.destroyed) out.push(lifeWords(c.life, router, v.tz));
  else if (c.persistence) out.push(persistenceText(c.persistence));
  return out;
}

/** Where a host name came from, in words ("neighbour" alone would read as the VRRP peer). */
export function hostSourceWords(from: HostSource | null | undefined, via?: string): string {
  const by = via ? ` ${via}` : '';
  switch (from) {
    case 'flag': return '--host';
    case 'syslog': return 'its syslog hostname';
    case 'router_id': return `keepalived.conf router_id${via ? ` (named as in${by})` : ''}`;
    case 'address': return `the source of its own adverts, an address in${by || ' a keepalived.conf'}`;
    case 'neighbour': return `the evidence beside it${via ? ` (${via})` : ''}`;
    case 'file-name': return 'the file name';
    case 'folder': return 'the folder name only';
    default: return 'unknown';
  }
}

/** The folder → host table's rows: folder, host, where the name came from. */
export function hostFolderRows(rows: HostFolder[]): [string, string, string][] {
  return rows.map((h) => [h.folder, h.host ?? '?', `${hostSourceWords(h.from, h.via)}${h.weak ? ' (a guess)' : ''}; ${plural(h.files, 'file')}`]);

}

/** The inputs as every format lists them, last and compact: one row per host with its sources, unknown files folded. */
export interface InputGroups {
  hosts: { host: string; sources: InputSummary[]; first: bigint | null; last: bigint | null; records: number; folder: string }[];
  /** files of no known kind (skipped): one line for all of them */
  unknown: InputSummary[];
}

export function inputGroups(r: Report): InputGroups {
  const hosts = new Map<string, InputGroups['hosts'][number]>();
  const unknown: InputSummary[] = [];
  for (const i of r.inputs) {
    // an unknown file named on the command line is an error and stays with its host; one met in a folder is folded
    if (i.kind === 'unknown' && !i.problems.some((p) => p.severity === 'error')) {
      unknown.push(i);
      continue;
    }
    const key = i.host ?? '?';
    const g = hosts.get(key) ?? { host: key, sources: [], first: null, last: null, records: 0, folder: '' };
    g.sources.push(i);
    g.records += i.records;
    if (i.first !== null && (g.first === null || i.first < g.first)) g.first = i.first;
    if (i.last !== null && (g.last === null || i.last > g.last)) g.last = i.last;
    hosts.set(key, g);
  }
  for (const g of hosts.values()) {
    // the folder all of a host's files are in ("gw-a/"), said once on its row
    const dirs = g.sources.map((i) => i.path.slice(0, i.path.lastIndexOf('/') + 1));
    g.folder = dirs.every((d) => d === dirs[0]) ? dirs[0] : '';
  }
  return { hosts: [...hosts.values()], unknown };
}

/** One source in an input row: "any.pcap (capture pcap-ns, 40)" — its problems and notes are listed apart. */
export function sourceLabel(i: InputSummary, folder = ''): string {
  return `${i.path.slice(folder.length)} (${i.format ?? i.kind}, ${i.records}${i.zone ? `, read in ${i.zone}` : ''})`;
}

/** A host's sources on one line: "in gw-a/: any.pcap (pcap-ns, 40), …". */
export function sourcesLine(g: InputGroups['hosts'][number]): string {
  return `${g.folder ? `in ${g.folder}: ` : ''}${g.sources.map((i) => sourceLabel(i, g.folder)).join(', ')}`;
}

/** The notes and problems of a host's sources, one line each, citing the file. */
export function sourceNotes(g: InputGroups['hosts'][number], max = 5): string[] {
  const out: string[] = [];
  for (const i of g.sources) {
    const note = inputNote(i);
    if (note) out.push(`${i.path}: ${note}`);
    if (i.year) out.push(`${i.path}: year ${i.year.first} from ${i.year.source}${i.year.weak ? ' (weak)' : ''}`);
    const problems = inputProblems(i);
    for (const p of problems.slice(0, max)) out.push(`${i.path}: ${p.severity}: ${p.locator ? p.locator + ': ' : ''}${p.message} [${p.code}]`);
    if (problems.length > max) out.push(`${i.path}: … ${problems.length - max} more`);
  }
  return out;
}
