import { peakAdvertRate } from './advert-rate.js';
import { reportWarnings } from './analysis-words.js';
import { splitImpact, type SplitImpact } from './split-impact.js';
import type { Evidence, Finding, Report, SplitBrainFinding, TimelineEntry } from '../model/report.js';
import { captionOf } from './evidence-words.js';
import { remedyLines } from './finding-words.js';
import { evidenceEnd } from '../model/evidence-end.js';

/**
 * The one-page summary as facts (no sentences: the renderers word it): what happened, what it cost, the root cause
 * with its one decisive citation, where each host stood when the evidence ends, and the fix per host. Derived from the
 * report model only, so every format shows the same brief.
 */
export interface Brief {
  /** analysis-wide warnings (e.g. several incidents mixed), shown before anything else */
  warnings: string[];
  /** hosts whose name stands on a folder or file name alone (no log, conf or capture says so), with their folders */
  guessedHosts: { host: string; folder: string; from: 'folder' | 'file-name' | 'other' }[];
  /** what the evidence allowed the analysis to check (none: nothing readable — no all-clear) */
  coverage: Report['coverage'] | null;
  /** findings above info, in report order (the most severe first) */
  happened: Finding[];
  /** info findings not listed (ordinary master changes, resignations, clock offsets) */
  info: number;
  /** the same, counted by kind */
  infoKinds: Partial<Record<Finding['kind'], number>>;
  impact: Impact;
  /** the root cause: the first of `causes` */
  cause: Cause | null;
  /** one per translated router whose conntrack entry is known (both gateways may translate), else the first sign */
  causes: Cause[];
  /** each host's keepalived state per instance at the end of the evidence (last logged transition or stop) */
  hosts: HostEnd[];
  /** per host: fixed, still translating, entry idle until …, and whether it needs a fix (Report.endStates) */
  endStates: NonNullable<Report['endStates']>;
  fixes: Fix[];
  /** the last instant of the evidence */
  end: bigint | null;
}

export interface Impact {
  /** time with two masters at once (union of every split brain), ns; null: no split brain */
  splitBrainNs: bigint | null;
  /** split brains still open at the end of the evidence */
  splitBrainOpen: boolean;
  /** per virtual address: the MACs gratuitous ARP / NA said it is at, in order, each change once */
  vipMacs: { address: string; macs: string[] }[];
  /** changes of the MAC a VIP is at, over all VIPs */
  vipMacChanges: number;
  /** the highest advert rate on the wire (adverts per second, in one capture), and when */
  peakAdvertsPerSecond: number | null;
  peakAt: bigint | null;
  /** per vrid: the split brain's duration, announcements and VIP MAC changes during it */
  perVrid: SplitImpact[];
  /** no split brain proven, but a MASTER's capture shows another station claiming its address: those findings' ids */
  vipClaimedBy: string[];
}

export interface Cause {
  finding: Finding;
  /** the one citation that decides it: the conntrack entry, else the first translated advert */
  file: string;
  locator: string;
  text: string;
  at: bigint | null;
}

export interface HostEnd {
  host: string;
  instance: string | null;
  /** MASTER, BACKUP, FAULT, or STOPPED (keepalived stopped), or null when no log of the host says */
  state: string | null;
  since: bigint | null;
}

export interface Fix {
  host: string;
  finding: string;
  /** the remedy's commands and step comments, without the alternative (nft) spellings */
  lines: string[];
}

export function buildBrief(r: Report): Brief {
  const happened = r.findings.filter((f) => f.severity !== 'info');
  const end = evidenceEnd(r.timeline, r.inputs);
  const causes = causesOf(happened);
  return {
    warnings: reportWarnings(r),
    guessedHosts: (r.hostFolders ?? []).filter((h) => h.weak && h.host).map((h) => ({
      host: h.host!, folder: h.folder, from: h.from === 'folder' ? 'folder' : h.from === 'file-name' ? 'file-name' : 'other',
    })),
    coverage: r.coverage ?? null,
    happened,
    info: r.findings.length - happened.length,
    infoKinds: r.findings.filter((f) => f.severity === 'info').reduce<Partial<Record<Finding['kind'], number>>>((m, f) => ((m[f.kind] = (m[f.kind] ?? 0) + 1), m), {}),
    impact: impactOf(r, end),
    cause: causes[0] ?? null,
    causes,
    hosts: hostsAtEnd(r),
    endStates: r.endStates ?? [],
    fixes: fixesOf(happened, r.endStates),
    end,
  };
}

export function impactOf(r: Report, end: bigint | null): Impact {
  // split brains: the union of their spans, so two captures of one split are not counted twice
  const spans = r.findings.filter((f): f is SplitBrainFinding => f.kind === 'split-brain')
    .map((f) => [f.start, f.end ?? end ?? f.start] as [bigint, bigint]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0n;
  let cur: [bigint, bigint] | null = null;
  for (const s of spans) {
    if (cur && s[0] <= cur[1]) cur[1] = s[1] > cur[1] ? s[1] : cur[1];
    else {
      if (cur) total += cur[1] - cur[0];
      cur = [s[0], s[1]];
    }
  }
  if (cur) total += cur[1] - cur[0];
  const first = r.timeline.reduce<bigint | null>((m, e) => (m === null || e.at < m ? e.at : m), null);
  const peak = first !== null && end !== null ? peakAdvertRate(r, first, end) : null;
  const vipMacs = vipMacHistory(r.timeline);
  return {
    splitBrainNs: spans.length ? total : null,
    splitBrainOpen: r.findings.some((f) => f.kind === 'split-brain' && f.start !== undefined && (f.end === null || f.end === undefined)),
    vipMacs,
    vipMacChanges: vipMacs.reduce((n, v) => n + v.macs.length - 1, 0),
    peakAdvertsPerSecond: peak?.rate ?? null,
    peakAt: peak?.at ?? null,
    perVrid: splitImpact(r, end),
    vipClaimedBy: r.findings.filter((f) => f.kind === 'contradiction' && f.contradiction.claim === 'vip-claimed-while-master').map((f) => f.id),
  };
}

/** Per announced address, the MACs it was said to be at, in time order (a repeat of the same MAC is no change). */
function vipMacHistory(timeline: TimelineEntry[]): { address: string; macs: string[] }[] {
  const out = new Map<string, string[]>();
  for (const e of timeline) {
    if (!e.address || !e.mac) continue;
    const macs = out.get(e.address) ?? [];
    if (macs.at(-1) !== e.mac) macs.push(e.mac);
    out.set(e.address, macs);
  }
  return [...out].map(([address, macs]) => ({ address, macs }));
}

/** Findings whose cause is not NAT: the brief's root cause cites their decisive line. */
export const NOT_NAT: ReadonlySet<Finding['kind']> = new Set(['conntrack-exhaustion', 'link-down', 'firewall-drop']);

/** The root cause: each translation with a conntrack entry behind it (the most severe first), cited by that entry. */
function causesOf(happened: Finding[]): Cause[] {
  const translated = happened.filter((f) => f.kind === 'vrrp-source-translated');
  const entries = translated.filter((f) => f.conntrack).map((f) => {
    const c = f.conntrack!;
    return { finding: f, file: c.file, locator: `line ${c.line}`, text: c.text, at: c.createdAt };
  });
  // a cause other than NAT: a full conntrack table (the kernel's first line), a link down (keepalived's netlink line),
  // a firewall rule dropping VRRP (the rule)
  const other = happened.filter((f) => NOT_NAT.has(f.kind) && f.evidence[0]).map((f) => citeOf(f, f.evidence[0]));
  // an unplanned failover: what silenced the master is not in the evidence; its last adverts are the decisive lines
  for (const f of happened) if (f.kind === 'unexplained-takeover') other.push(citeOf(f, f.evidence.at(-1)!));
  if (entries.length || other.length) return [...entries, ...other];
  const f = translated[0] ?? happened[0];
  const e = f?.evidence[0];
  return f && e ? [citeOf(f, e)] : [];
}

/** A finding's decisive evidence as the brief cites it: its caption, as every renderer words it. */
const citeOf = (finding: Finding, e: Evidence): Cause => ({ finding, file: e.file, locator: e.locator, text: captionOf(e), at: e.at });

function hostsAtEnd(r: Report): HostEnd[] {
  const last = new Map<string, HostEnd>();
  for (const s of r.states) {
    const key = `${s.host}\u0000${s.instance}`;
    const prev = last.get(key);
    if (prev && prev.since !== null && prev.since > s.start) continue;
    // a band that ends before the evidence does was ended by keepalived stopping
    last.set(key, s.end === null ? { host: s.host, instance: s.instance, state: s.state, since: s.start } : { host: s.host, instance: s.instance, state: 'STOPPED', since: s.end });
  }
  const out = [...last.values()];
  // routers no log speaks for: listed, with no state, so the reader sees the gap
  for (const rt of r.routers) if (!out.some((h) => h.host === rt.name)) out.push({ host: rt.name, instance: null, state: null, since: null });
  return out.sort((a, b) => a.host.localeCompare(b.host) || (a.instance ?? '').localeCompare(b.instance ?? ''));
}

/** The fix per host, for every host that still needs one (a host the evidence shows fixed gets none). */
function fixesOf(happened: Finding[], ends: Report['endStates']): Fix[] {
  const out: Fix[] = [];
  for (const f of happened) {
    const remedy = 'remedy' in f ? f.remedy : undefined;
    if (!remedy) continue;
    const host = f.router ?? (f.kind === 'vrrp-source-translated' ? f.originalSource : undefined) ?? '?';
    // the end states speak of translations; a link or rule fault needs its fix unless the evidence shows it gone
    if (f.kind === 'firewall-drop' ? f.firewallDrop.removed : f.kind !== 'link-down' && ends?.some((e) => e.host === host && !e.needsFix)) continue;
    // the one-screen verdict gives each step once: no other syntax beside it
    const lines = remedyLines(remedy, { alternatives: false });
    const same = out.find((x) => x.host === host && x.lines.join('\n') === lines.join('\n'));
    if (!same) out.push({ host, finding: f.id, lines });
  }
  return out;
}
