import { formatInstant, toRfc3339, type TimeStyle } from '../model/instant.js';
import type { FlowHistory } from '../model/conntrack.js';
import type { ConntrackInfo } from '../model/conntrack.js';
import type { Tuple } from '../model/conntrack.js';
import { dumpTimeWords, natNote, staleText } from './conntrack-words.js';
import { forTerminal } from './sanitize.js';
import { plural } from './words.js';

export interface ConntrackViewOptions {
  tz: string;
  style: TimeStyle;
}

const NAMES: Record<number, string> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 47: 'gre', 51: 'ah', 58: 'icmpv6', 112: 'vrrp', 132: 'sctp', 33: 'dccp', 136: 'udplite' };

export function protoLabel(num: number): string {
  return `${NAMES[num] ?? 'proto'} ${num}`;
}

function tuple(t: Tuple): string {
  const port = (a: string, p?: number) => (p === undefined ? a : a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  return `${port(t.src, t.sport)} > ${port(t.dst, t.dport)}`;
}

function when(ns: bigint | undefined, o: ConntrackViewOptions, digits = 6): string {
  return ns === undefined ? '?' : formatInstant(ns, o.tz, o.style, digits);
}

export function natText(f: FlowHistory): string {
  switch (f.nat.kind) {
    case 'none': return 'no NAT';
    case 'snat': return `SNAT to ${f.nat.translatedSource}`;
    case 'dnat': return `DNAT to ${f.nat.translatedDestination}`;
    case 'snat-swapped': return `SNAT to ${f.nat.translatedSource} (reply tuple swapped: edited dump)`;
    default: return `SNAT to ${f.nat.translatedSource} + DNAT to ${f.nat.translatedDestination}`;
  }
}

/** A flow's lines: identity and NAT, birth with its evidence, sightings, end; the stale warning on its own line. */
export function flowLines(f: FlowHistory, o: ConntrackViewOptions): string[] {
  const head = `${protoLabel(f.protoNum).padEnd(9)} ${tuple(f.orig)}  reply ${tuple(f.reply)}  ${natText(f)}`;
  const parts: string[] = [];
  if (f.born) {
    const b = f.born;
    parts.push(b.from === 'bounds' ? `born no later than ${when(b.at, o)} (${b.file}:${b.line})` : `born ${when(b.at, o)} (${b.from}, ${b.file}:${b.line})`);
  }
  const timeouts = f.recent.filter((s) => s.timeout !== undefined).map((s) => s.timeout);
  parts.push(`seen ${f.sightings}× ${f.first.file}:${f.first.line}${f.sightings > 1 ? ` … ${f.last.file}:${f.last.line}` : ''}`);
  if (timeouts.length) parts.push(`timeout left ${timeouts.join(',')}`);
  const pk = f.recent.filter((s) => s.packets !== undefined).map((s) => s.packets);
  if (pk.length) parts.push(`packets ${pk.join(',')}`);
  if (f.lastRefresh) parts.push(`last packet ≈ ${when(f.lastRefresh.at, o, 0)}`);
  if (f.destroyed) parts.push(`destroyed ${when(f.destroyed.at, o)}${f.destroyed.byUser ? ` by a user command (${f.destroyed.byUser})` : ''} (${f.destroyed.file}:${f.destroyed.line})`);
  const out = [head, '    ' + parts.join('  ')];
  const note = natNote(f.nat);
  if (note) out.push('    note: ' + note);
  if (f.staleness) out.push('    ! ' + staleText(f.staleness));
  return out.map(forTerminal);
}

export function flowJson(f: FlowHistory): Record<string, unknown> {
  const t = (ns: bigint | undefined) => (ns === undefined ? null : toRfc3339(ns));
  return {
    protocol: f.protoNum, protocolName: NAMES[f.protoNum] ?? f.protoName, family: f.family ?? null, zone: f.zone ?? null,
    original: f.orig, reply: f.reply,
    translation: f.nat.kind, translatedSource: f.nat.translatedSource ?? null, translatedDestination: f.nat.translatedDestination ?? null,
    createdAt: t(f.born?.at), createdAtFrom: f.born?.from ?? null, createdAtEarliest: t(f.born?.earliest),
    createdAtEvidence: f.born ? { file: f.born.file, line: f.born.line } : null,
    firstSeen: { at: t(f.first.at), file: f.first.file, line: f.first.line, timeFrom: f.first.atFrom ?? null },
    lastSeen: { at: t(f.last.at), file: f.last.file, line: f.last.line, timeFrom: f.last.atFrom ?? null },
    sightings: f.sightings,
    recent: f.recent.map((s) => ({ at: t(s.at), file: s.file, line: s.line, event: s.event ?? null, timeout: s.timeout ?? null, packets: s.packets ?? null, bytes: s.bytes ?? null })),
    lastRefreshEstimate: f.lastRefresh ? { at: t(f.lastRefresh.at), file: f.lastRefresh.file, line: f.lastRefresh.line } : null,
    destroyed: f.destroyed ? { at: t(f.destroyed.at), byUser: f.destroyed.byUser ?? null, file: f.destroyed.file, line: f.destroyed.line } : null,
    stale: f.staleness ? staleText(f.staleness) : null,
    staleness: f.staleness ?? null,
  };
}

export const FLOW_CSV_COLUMNS = [
  'protocol', 'orig_src', 'orig_dst', 'reply_src', 'reply_dst', 'translation', 'translated_source', 'created_at',
  'created_from', 'created_file', 'created_line', 'first_file', 'first_line', 'last_file', 'last_line', 'sightings',
  'last_timeout', 'destroyed_at', 'stale',
];

export function flowCsvRow(f: FlowHistory): unknown[] {
  return [
    f.protoNum, f.orig.src, f.orig.dst, f.reply.src, f.reply.dst, f.nat.kind, f.nat.translatedSource ?? '',
    f.born ? toRfc3339(f.born.at) : '', f.born?.from ?? '', f.born?.file ?? '', f.born?.line ?? '', f.first.file, f.first.line,
    f.last.file, f.last.line, f.sightings, f.last.timeout ?? '', f.destroyed?.at !== undefined ? toRfc3339(f.destroyed.at) : '', f.staleness ? 'yes' : 'no',
  ];
}

export function inputLine(i: ConntrackInfo, o: ConntrackViewOptions): string {
  const fmt = i.format ? `${i.format}${i.options.length ? ` (-o ${i.options.join(',')})` : ''}` : 'no entries';
  const d = i.format === 'conntrack -E' && i.options.includes('timestamp') ? 'times from each line\'s timestamp' : i.dumpTime ? `dump time ${when(i.dumpTime.ns, o, 0)} from ${dumpTimeWords(i.dumpTime.via)}${i.dumpTime.weak ? ' — WEAK evidence' : ''}` : 'no dump time';
  return forTerminal(`  ${i.file}: ${fmt}${i.gzip ? ', gzip' : ''}; ${plural(i.entries, 'entry')} in ${plural(i.lines, 'line')}; ${d}`);
}
