import { transitionEvidence } from './cite.js';
import type { Evidence, ExhaustionFinding, Finding, Remedy, TimelineEntry, Transition } from '../model/report.js';
import type { Exhaustion } from '../model/story.js';
import type { SideRun } from '../sources/syslog/kernel-lines.js';

const SEC = 1_000_000_000n;
/** runs of one host this close together are one episode */
const GAP = 10n * SEC;
/** keepalived reacts within its master-down interval (3 intervals + skew) of the first dropped advert */
const AFTER = 10n * SEC;

export type HostRun = SideRun & { host: string | null };

interface Episode {
  host: string;
  start: bigint;
  end: bigint;
  /** per file, the lines in this episode (two copies of one log count once: the larger) */
  perFile: Map<string, number>;
  first: Evidence;
  precision: number;
}

/**
 * Conntrack exhaustion as a cause other than NAT: the kernel's "table full, dropping packet" on a host drops every
 * packet that needs a new entry — the peer's adverts on arrival and the host's own on the way out ("send advert
 * error") — so the host hears no master and takes over while the master goes on: a split brain with no translation.
 */
export function exhaustionFindings(runs: HostRun[], transitions: Transition[]): ExhaustionFinding[] {
  const episodes = episodesOf(runs.filter((r) => r.kind === 'conntrack-table-full'));
  return episodes.map((e) => {
    const errors = runs.filter((r) => r.kind === 'send-advert-error' && r.host === e.host && r.last.at >= e.start - SEC && r.first.at <= e.end + AFTER);
    const sendErrors = maxPerFile(errors);
    const took = transitions.find((t) => t.host === e.host && t.to === 'MASTER' && t.at >= e.start && t.at <= e.end + AFTER) ?? null;
    const fact: Exhaustion = { host: e.host, start: e.start, end: e.end, kernelLines: [...e.perFile.values()].reduce((a, b) => Math.max(a, b), 0), sendErrors, tookMasterAt: took?.at ?? null };
    const evidence: Evidence[] = [e.first];
    // the most precise copy's first line (rsyslog's RFC 3339 file beside the traditional one), then the earliest
    const err = errors.sort((a, b) => b.precision - a.precision || (a.first.at < b.first.at ? -1 : 1))[0];
    if (err) evidence.push({ file: err.file, locator: `line ${err.first.line}`, at: err.first.at, text: err.first.text });
    if (took) evidence.push(transitionEvidence({ ...took, to: 'MASTER' }));
    const f: ExhaustionFinding = {
      id: '', kind: 'conntrack-exhaustion', severity: 'warning', vrid: null, router: e.host, start: e.start, end: e.end, hosts: [e.host],
      exhaustion: fact, evidence, remedy: exhaustionRemedy(e.host),
    };
    return f;
  });
}

/**
 * Once ids are given: a split brain on the exhausted host that began while its table was full (or within the
 * master-down interval after) was caused by it, unless a translation already explains it.
 */
export function linkExhaustion(findings: Finding[]): void {
  for (const e of findings) {
    if (e.kind !== 'conntrack-exhaustion') continue;
    const x = e.exhaustion;
    for (const s of findings) {
      if (s.kind !== 'split-brain' || s.causedBy || !s.hosts.includes(x.host)) continue;
      if (s.start < x.start - SEC || s.start > x.end + AFTER) continue;
      s.causedBy = e.id;
      (e.led ??= []).push(s.id);
      e.severity = 'critical';
    }
  }
}

/**
 * The side lines in the timeline, one entry per run: from each host's most precise log only (its copies hold the
 * same lines).
 */
export function sideTimeline(runs: HostRun[]): TimelineEntry[] {
  const best = new Map<string, number>();
  for (const r of runs) best.set(`${r.host}|${r.kind}`, Math.max(best.get(`${r.host}|${r.kind}`) ?? -1, r.precision));
  return runs.filter((r) => r.precision === best.get(`${r.host}|${r.kind}`)).map((r) => ({
    at: r.first.at, host: r.host, source: 'syslog', kind: r.kind, fact: { kind: 'side-run', run: r.kind, text: r.first.text },
    file: r.file, locator: `line ${r.first.line}`, ...(r.lines > 1 ? { repeat: r.lines, until: r.last.at } : {}),
  }));
}

function episodesOf(runs: HostRun[]): Episode[] {
  const out: Episode[] = [];
  for (const r of [...runs].sort((a, b) => (a.first.at < b.first.at ? -1 : a.first.at > b.first.at ? 1 : 0))) {
    if (!r.host) continue;
    const hit = out.find((e) => e.host === r.host && r.first.at <= e.end + GAP && r.last.at >= e.start - GAP);
    if (hit && r.precision > hit.precision && r.first.at - hit.start < SEC) {
      // the same first line in a more precise copy of the log (rsyslog's RFC 3339 file beside the traditional one)
      hit.start = r.first.at;
      hit.precision = r.precision;
      hit.first = { file: r.file, locator: `line ${r.first.line}`, at: r.first.at, text: r.first.text };
    }
    if (hit) {
      if (r.first.at < hit.start) hit.start = r.first.at;
      if (r.last.at > hit.end) hit.end = r.last.at;
      hit.perFile.set(r.file, (hit.perFile.get(r.file) ?? 0) + r.lines);
      continue;
    }
    out.push({ host: r.host, start: r.first.at, end: r.last.at, precision: r.precision, perFile: new Map([[r.file, r.lines]]), first: { file: r.file, locator: `line ${r.first.line}`, at: r.first.at, text: r.first.text } });
  }
  return out;
}

function maxPerFile(runs: HostRun[]): number {
  const per = new Map<string, number>();
  for (const r of runs) per.set(r.file, (per.get(r.file) ?? 0) + r.lines);
  return [...per.values()].reduce((a, b) => Math.max(a, b), 0);
}

/** The remedy for a full table: room in the table, and VRRP kept out of it so it never needs a slot. */
function exhaustionRemedy(host: string): Remedy {
  return {
    for: { kind: 'exhaustion', host },
    steps: [
      { n: 1, action: 'make-room', syntax: 'shell', commands: [
        { command: 'conntrack -C; sysctl net.netfilter.nf_conntrack_max' },
        { command: 'sysctl -w net.netfilter.nf_conntrack_max=$(( $(sysctl -n net.netfilter.nf_conntrack_max) * 2 ))' },
      ] },
      { n: 2, action: 'notrack', protocol: 'vrrp', syntax: 'iptables', commands: [
        { command: 'iptables -t raw -I OUTPUT -p vrrp -j NOTRACK' },
        { command: 'iptables -t raw -I PREROUTING -p vrrp -j NOTRACK' },
      ] },
      { n: 3, action: 'accept-untracked', protocol: 'vrrp', syntax: 'iptables', commands: [{ command: 'iptables -I INPUT -p vrrp -m conntrack --ctstate UNTRACKED -j ACCEPT' }] },
    ],
  };
}
