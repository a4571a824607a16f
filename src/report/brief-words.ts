import { findingSummary } from './finding-words.js';
import { confidenceNote, coverageLines, NO_EVIDENCE, when, type ReportView } from './analysis-view.js';
import { NOT_NAT, type Brief } from './brief.js';
import type { ConntrackCause, ElectionEffect, Finding, TranslationFinding } from '../model/report.js';
import { birthCauseWords, endStatusWords, fixedWords, lifeWords } from './story-words.js';
import { andList, plural } from './words.js';

/**
 * The brief in words, as sections every format lays out its own way (Markdown headings and tables, terminal indents,
 * HTML). The only place the brief's sentences are written.
 */
export interface BriefSection {
  title: string;
  /** one sentence each */
  items: string[];
  table?: { head: string[]; rows: string[][] };
  /** command or evidence blocks, each with a caption */
  blocks?: { caption: string; lines: string[]; lang: 'sh' | 'text' }[];
}

/** VIPs and MACs listed in the impact before the rest is counted: the brief stays one page. */
const MAX_VIPS = 3;
const MAX_MACS = 5;
const MAX_CAUSES = 3;

export function briefSections(b: Brief, v: ReportView): BriefSection[] {
  const out: BriefSection[] = [];
  const happened: string[] = [...guessedHostsWarning(b), ...b.warnings].map((w) => `Warning: ${w}`);
  if (b.coverage?.evidence === 'none') {
    out.push({ title: 'Verdict', items: [...happened, NO_EVIDENCE] });
    return out;
  }
  if (!b.happened.length) happened.push('No VRRP source translation, split brain or storm found in the evidence.');
  for (const f of b.happened) happened.push(findingSentence(f, v, b.happened));
  if (b.coverage?.evidence === 'thin') happened.push(...coverageLines(b.coverage));
  if (b.info) happened.push(`${andList(Object.entries(b.infoKinds).map(([k, n]) => plural(n, INFO_KIND[k as Finding['kind']] ?? k)))}, listed with the findings as info.`);
  // every printed time is in the display zone: said once, where the times start
  if (b.happened.length) happened.push(`Times in ${v.tz}.`);
  out.push({ title: 'Verdict', items: happened });
  if (!b.happened.length && !b.hosts.length) return out;

  const i = b.impact;
  const impact: string[] = [];
  impact.push(i.splitBrainNs === null ? (i.vipClaimedBy.length ? `Split brain: none proven (two masters' adverts or logs); ${andList(i.vipClaimedBy)} shows another station claiming a MASTER's address.` : 'Split brain: none.') : `Split brain: ${seconds(i.splitBrainNs)} with two masters at once${i.splitBrainOpen ? ', still so at the end of the evidence' : ''}.`);
  // per vrid when a split brain is there: the sentence a ticket needs
  // with no capture there was nothing to count announcements in: said so, never "0 captured"
  const captured = !b.coverage || b.coverage.checked.includes('wire-sources');
  for (const p of i.perVrid) {
    impact.push(`Split brain${p.vrid !== null ? ` on vrid ${p.vrid}` : ' (vrid not in the evidence)'}: ${seconds(p.splitNs)}${p.open ? ' (still split at the end)' : ''}; ` +
      (captured ? `${plural(p.announcements, 'gratuitous ARP/NA', 'gratuitous ARPs/NAs')} captured during it, the VIP MAC changed ${plural(p.vipMacChanges, 'time')}.` : 'no capture to count gratuitous ARPs/NAs or VIP MAC changes in.'));
  }
  if (!i.vipMacs.length) impact.push('VIP MAC changes: no gratuitous ARP or NA captured.');
  else {
    const moves = i.vipMacs.slice(0, MAX_VIPS).map((x) => `${x.address} at ${x.macs.slice(0, MAX_MACS).join(' → ')}${x.macs.length > MAX_MACS ? ` … (${x.macs.length} in all)` : ''}`);
    impact.push(`VIP MAC changes: ${i.vipMacChanges} (${moves.join('; ')}${i.vipMacs.length > MAX_VIPS ? `; ${i.vipMacs.length - MAX_VIPS} more addresses` : ''}).`);
  }
  impact.push(i.peakAdvertsPerSecond === null ? 'Adverts at peak: none captured.' : `Adverts at peak: ${rate(i.peakAdvertsPerSecond)}/s at ${when(i.peakAt, v)} (one master at advert_int 1 sends 1/s).`);
  out.push({ title: 'Impact', items: impact });

  if (b.causes.length) {
    const items: string[] = [];
    const blocks: NonNullable<BriefSection['blocks']> = [];
    for (const c of b.causes.slice(0, MAX_CAUSES)) {
      const f = c.finding;
      items.push(f.kind === 'vrrp-source-translated' && f.conntrack
        ? `${f.id}: conntrack entry ${c.file} ${c.locator} (created ${when(c.at, v)}, ${f.conntrack.relation.replace(/-/g, ' ')}${precisionWords(f.conntrack)}${f.conntrack.birthCause ? `, ${birthCauseWords(f.conntrack.birthCause, v.tz)}` : ''}) sends the adverts of ${f.router ?? f.originalSource} through SNAT to ${f.translatedSource}; ${entryEnd(f, v)}.`
        : NOT_NAT.has(f.kind) ? `${f.id}: ${findingSummary(f, { tz: v.tz, findings: b.happened })} Not NAT: the decisive line is ${c.file} ${c.locator}.`
          : f.kind === 'unexplained-takeover' ? `${f.id}: not shown by the evidence — the master ${f.takeover.master.router ?? f.takeover.master.src} went silent without resigning; its last adverts start at ${c.file} ${c.locator}.`
          : `${f.id}: no conntrack entry explains it in the evidence; the decisive line is ${c.file} ${c.locator}.`);
      blocks.push({ caption: `${c.file} ${c.locator}`, lines: [c.text], lang: 'text' });
    }
    if (b.causes.length > MAX_CAUSES) items.push(`${b.causes.length - MAX_CAUSES} more translated router(s): see the findings.`);
    out.push({ title: 'Root cause', items, blocks });
  }

  if (b.hosts.length) {
    // the VRRP source column appears when a host has a story to tell (a translation or a full table)
    const told = b.endStates.some((e) => e.status !== 'untranslated');
    const vrrp = (host: string) => {
      const e = b.endStates.find((x) => x.host === host);
      return e ? endStatusWords(e, v.tz) : '—';
    };
    out.push({
      title: `State at the end of the evidence (${when(b.end, v)})`, items: [],
      table: told
        ? { head: ['host', 'instance', 'state', 'since', 'VRRP source'], rows: b.hosts.map((h) => [h.host, h.instance ?? '—', h.state ?? 'unknown (no keepalived log)', when(h.since, v), vrrp(h.host)]) }
        : { head: ['host', 'instance', 'state', 'since'], rows: b.hosts.map((h) => [h.host, h.instance ?? '—', h.state ?? 'unknown (no keepalived log)', when(h.since, v)]) },
    });
  }
  // a host the evidence shows fixed gets no fix, but is named, so the reader sees it was not forgotten
  const fixed = b.endStates.filter((e) => e.status === 'fixed' && e.findings.length);
  if (b.fixes.length || fixed.length) {
    out.push({
      title: 'Fix, per host, in this order', items: fixed.map((e) => fixedWords(e)),
      blocks: b.fixes.map((x) => ({ caption: `${x.host} (${x.finding})`, lines: x.lines, lang: 'sh' })),
    });
  }
  return out;
}

/** info findings in the verdict's count (singular; plural() adds the rest) */
const INFO_KIND: Partial<Record<Finding['kind'], string>> = {
  'master-change': 'ordinary master change', resignation: 'resignation',
};

const ELECTION: Record<Exclude<ElectionEffect, 'split-brain'>, string> = {
  changed: '; it changed the election',
  'by-priority': '; the election went by priority as it would have untranslated',
  'not-seen': '; no election is in the evidence to tell what it changed',
};

function guessedHostsWarning(b: Brief): string[] {
  const g = b.guessedHosts;
  if (!g.length) return [];
  const one = g.length === 1;
  return [`host${one ? '' : 's'} ${g.map((h) => `${h.host} (${h.folder})`).join(', ')} inferred from ${g.every((h) => h.from === 'folder') ? 'a folder name' : 'file or folder names'} only: ` +
    `no log, keepalived.conf or capture of ${one ? 'it' : 'them'} says so — give --host PATH=NAME if that is wrong`];
}

/** One sentence per finding, from its fields (with how sure it is, when the evidence was partial). */
export function findingSentence(f: Finding, v: ReportView, findings: readonly Finding[]): string {
  const body = sentenceBody(f, v);
  const sure = f.kind === 'vrrp-source-translated' ? confidenceNote(f, true) : '';
  return body === null ? `${f.id} [${f.severity}] ${findingSummary(f, { tz: v.tz, findings })}${sure}` : `${body}${sure}.`;
}

function sentenceBody(f: Finding, v: ReportView): string | null {
  const head = `${f.id} [${f.severity}]`;
  const vrid = f.vrid !== null ? ` on vrid ${f.vrid}` : '';
  switch (f.kind) {
    case 'vrrp-source-translated':
      // the one-line form needs the real source and either adverts on the wire or a conntrack entry; a peer's log
      // alone (no real source, no entry) keeps the finding's own summary
      if (f.firstSeen === undefined || f.originalSource === undefined || (f.adverts === undefined && !f.basis?.includes('conntrack-entry'))) break;
      // a router known only by its address (no host named it) is not named twice
      return `${head} VRRP adverts of ${f.router && f.router !== f.originalSource ? `${f.router} (${[f.vrid !== null ? `vrid ${f.vrid}` : '', f.originalSource].filter(Boolean).join(', ')})` : `${f.originalSource}${f.vrid !== null ? ` (vrid ${f.vrid})` : ''}`} ` +
        (f.adverts !== undefined
          ? `left with the translated source ${f.translatedSource} from ${when(f.firstSeen, v)} to ${when(f.lastSeen, v)} (${f.adverts} adverts); `
          // no translated advert was seen: the time span is the conntrack evidence's, not the wire's
          : `leave with the translated source ${f.translatedSource} per the conntrack evidence (${when(f.firstSeen, v)}${f.lastSeen !== undefined && f.lastSeen !== f.firstSeen ? ` to ${when(f.lastSeen, v)}` : ''}); `) +
        (f.revertedAt ? `reverted at ${when(f.revertedAt, v)}` : 'not reverted in the evidence') +
        (f.election === 'split-brain' ? `; it split the brain (${(f.led ?? []).join(', ')})` : ELECTION[f.election]);
    case 'split-brain':
      // one host's logs alone: the finding's own summary says how two masters are known
      if (f.start === undefined || f.seenBy) break;
      return `${head} Split brain${vrid}: ${(f.hosts ?? []).join(' and ')} were master at once from ${when(f.start, v)} to ` +
        (f.end ? `${when(f.end, v)} (${seconds(f.end - f.start)})` : 'the end of the evidence') + (f.causedBy ? `, caused by ${[f.causedBy, ...(f.alsoCausedBy ?? [])].join(' and ')}` : '');
    case 'advert-storm':
      if (f.start === undefined) break;
      return f.vrid !== null
        ? `${head} Advert storm${vrid} from ${when(f.start, v)} to ${when(f.end, v)}: ${f.adverts ?? '?'} adverts, peak ${f.peakRate ?? '?'} per advert interval`
        : `${head} Election storm on ${f.router ?? '?'} from ${when(f.start, v)} to ${when(f.end, v)}: peak ${f.peakRate ?? '?'} "forcing new election" lines per second`;
  }
  return null;
}

/** Which precision decided "born with": said when a whole second did. */
function precisionWords(c: ConntrackCause): string {
  return c.relationPrecision === 'second' && c.relation === 'born-with-first-advert' ? ' within the 1 s precision of its time' : '';
}

/** How the entry's life ended, from its fields. */
function entryEnd(f: TranslationFinding, v: ReportView): string {
  const c = f.conntrack!;
  const renewed = c.renewals?.length ? `, then made again ${c.renewals.length}× translated the same way` : '';
  if (!c.destroyed && c.life?.state === 'idle') return lifeWords(c.life, f.router, v.tz);
  if (!c.destroyed) return 'every advert refreshes it; it was still there at the end of the evidence';
  return `${c.destroyed.byUser ? 'deleted by a user command' : 'destroyed (expired or flushed)'} at ${when(c.destroyed.at, v)}${renewed}`;
}

function rate(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : String(n);
}

export function seconds(ns: bigint): string {
  const s = Number(ns) / 1e9;
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}
