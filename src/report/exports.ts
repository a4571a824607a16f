import { findingSummary } from './finding-words.js';
import { entrySummary } from './timeline-words.js';
import { toRfc3339 } from '../model/instant.js';
import { endOf, findingIdsAt } from './analysis-view.js';
import { findingSpan, type Finding, type Report } from '../model/report.js';
import { csvCell } from './sanitize.js';

const DESC: Record<string, string> = { capture: 'Packet captured', syslog: 'Logged', conntrack: 'Conntrack entry', config: 'Ruleset saved' };

/** When a finding ends: its revert, its last translated advert, or its end; null when it runs to the end of the evidence. */
function findingEnd(f: Finding): bigint | null {
  return endOf(f) ?? null;
}

const iso = (t: bigint) => toRfc3339(t, 6).replace('Z', '+00:00');

/**
 * Timesketch's JSONL import: message, datetime (ISO 8601 UTC), timestamp_desc, timestamp (µs), plus our fields, so
 * the incident joins an existing investigation. Findings are events too, at their start. What lasts — a collapsed
 * run (×N) and a finding — carries `end_time` and has an end event of its own, so a sketch shows when it stopped.
 */
export function timesketchJsonl(r: Report): string {
  const lines: { at: bigint; json: string }[] = [];
  const push = (at: bigint, o: Record<string, unknown>) => lines.push({ at, json: JSON.stringify({ datetime: iso(at), timestamp: Number(at / 1000n), ...o }) });
  for (const e of r.timeline) {
    const run = e.repeat && e.repeat > 1 && e.until !== undefined && e.until > e.at;
    const base = {
      host: e.host ?? '', source: e.source, kind: e.kind, vrid: e.vrid ?? null, file: e.file, locator: e.locator,
      finding: findingIdsAt(r, e.at).join(' ') || null, data_type: 'vrrp-forensics:timeline', ...(run ? { repeat: e.repeat, end_time: iso(e.until!) } : {}),
    };
    const message = `${e.host ? e.host + ': ' : ''}${entrySummary(e)}${e.repeat && e.repeat > 1 ? ` (×${e.repeat})` : ''}`;
    push(e.at, { message, timestamp_desc: DESC[e.source] ?? 'Event', ...base });
    if (run) push(e.until!, { message: `${message}: last of the run`, timestamp_desc: `${DESC[e.source] ?? 'Event'} (run end)`, ...base, finding: findingIdsAt(r, e.until!).join(' ') || null });
  }
  for (const f of r.findings) {
    const at = findingSpan(f).first;
    if (at === undefined) continue;
    const end = findingEnd(f);
    const base = { host: f.router ?? '', source: 'vrrp-forensics', kind: f.kind, vrid: f.vrid, finding: f.id, severity: f.severity, data_type: 'vrrp-forensics:finding', end_time: end === null ? null : iso(end) };
    push(at, { message: `${f.id} ${f.kind} (${f.severity}): ${findingSummary(f, { tz: r.timezone, findings: r.findings })}`, timestamp_desc: 'Finding start', ...base });
    if (end !== null && end > at) push(end, { message: `${f.id} ${f.kind} (${f.severity}) ends`, timestamp_desc: 'Finding end', ...base });
  }
  return lines.map((l) => l.json).join('\n') + (lines.length ? '\n' : '');
}

export const L2T_COLUMNS = ['date', 'time', 'timezone', 'MACB', 'source', 'sourcetype', 'type', 'user', 'host', 'short', 'desc', 'version', 'filename', 'inode', 'notes', 'format', 'extra'];
const SOURCE: Record<string, [string, string]> = { capture: ['PCAP', 'VRRP capture'], syslog: ['LOG', 'keepalived syslog'], conntrack: ['LOG', 'conntrack'], config: ['FILE', 'firewall ruleset'] };

/**
 * plaso's l2tcsv (17 columns, UTC, in time order), through csv-stringify with formula-safe cells. A collapsed run has
 * an end row (type "… (run end)"), and each finding a start and an end row (source "VRRP", sourcetype "finding").
 */
export async function l2tCsv(r: Report): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows: { at: bigint; cells: string[] }[] = [];
  const row = (at: bigint, src: string, sourcetype: string, type: string, host: string, desc: string, file: string, notes: string, extra: string[]) => {
    const t = toRfc3339(at, 6);
    const date = `${t.slice(5, 7)}/${t.slice(8, 10)}/${t.slice(0, 4)}`;
    rows.push({ at, cells: [date, t.slice(11, 19), 'UTC', '....', src, sourcetype, type, '-', host, desc.slice(0, 120), desc, '2', file, '-', notes, 'vrrp-forensics', [...extra, `fraction: ${t.slice(20, 26)}`].join('; ')].map(csvCell) });
  };
  for (const e of r.timeline) {
    const [src, type] = SOURCE[e.source] ?? ['LOG', e.source];
    const extra = [`locator: ${e.locator}`, ...(e.vrid !== undefined ? [`vrid: ${e.vrid}`] : []), ...(e.repeat && e.repeat > 1 ? [`repeat: ${e.repeat}`] : [])];
    row(e.at, src, type, DESC[e.source] ?? 'Event', e.host ?? '-', entrySummary(e), e.file, findingIdsAt(r, e.at).join(' ') || '-', extra);
    if (e.repeat && e.repeat > 1 && e.until !== undefined && e.until > e.at) {
      row(e.until, src, type, `${DESC[e.source] ?? 'Event'} (run end)`, e.host ?? '-', `${entrySummary(e)} (last of ×${e.repeat})`, e.file, findingIdsAt(r, e.until).join(' ') || '-', [...extra, `run start: ${toRfc3339(e.at, 6)}`]);
    }
  }
  for (const f of r.findings) {
    const at = findingSpan(f).first;
    if (at === undefined) continue;
    const end = findingEnd(f);
    const extra = [`severity: ${f.severity}`, ...(f.vrid !== null ? [`vrid: ${f.vrid}`] : []), ...(end !== null ? [`end: ${toRfc3339(end, 6)}`] : [])];
    row(at, 'VRRP', 'finding', 'Finding start', f.router ?? '-', `${f.id} ${f.kind}: ${findingSummary(f, { tz: r.timezone, findings: r.findings })}`, '-', f.id, extra);
    if (end !== null && end > at) row(end, 'VRRP', 'finding', 'Finding end', f.router ?? '-', `${f.id} ${f.kind} ends`, '-', f.id, extra);
  }
  rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return stringify([L2T_COLUMNS, ...rows.map((x) => x.cells)]);
}
