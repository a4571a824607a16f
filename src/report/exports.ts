import { toRfc3339 } from '../model/instant.js';
import { findingIdsAt } from './analysis-view.js';
import type { Report } from './model.js';
import { csvCell } from './sanitize.js';

const DESC: Record<string, string> = { capture: 'Packet captured', syslog: 'Logged', conntrack: 'Conntrack entry', config: 'Ruleset saved' };

/**
 * Timesketch's JSONL import: message, datetime (ISO 8601 UTC), timestamp_desc, timestamp (µs), plus our fields, so
 * the incident joins an existing investigation. Findings are events too, at their start.
 */
export function timesketchJsonl(r: Report): string {
  const lines: string[] = [];
  for (const e of r.timeline) {
    lines.push(JSON.stringify({
      message: `${e.host ? e.host + ': ' : ''}${e.summary}${e.repeat && e.repeat > 1 ? ` (×${e.repeat})` : ''}`,
      datetime: toRfc3339(e.at, 6).replace('Z', '+00:00'), timestamp_desc: DESC[e.source] ?? 'Event', timestamp: Number(e.at / 1000n),
      host: e.host ?? '', source: e.source, kind: e.kind, vrid: e.vrid ?? null, file: e.file, locator: e.locator,
      finding: findingIdsAt(r, e.at).join(' ') || null, data_type: 'vrrp-forensics:timeline',
    }));
  }
  for (const f of r.findings) {
    const at = f.firstSeen ?? f.start;
    if (at === undefined) continue;
    lines.push(JSON.stringify({
      message: `${f.id} ${f.kind} (${f.severity}): ${f.summary}`, datetime: toRfc3339(at, 6).replace('Z', '+00:00'), timestamp_desc: 'Finding start',
      timestamp: Number(at / 1000n), host: f.router ?? '', source: 'vrrp-forensics', kind: f.kind, vrid: f.vrid, finding: f.id, severity: f.severity,
      data_type: 'vrrp-forensics:finding',
    }));
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

export const L2T_COLUMNS = ['date', 'time', 'timezone', 'MACB', 'source', 'sourcetype', 'type', 'user', 'host', 'short', 'desc', 'version', 'filename', 'inode', 'notes', 'format', 'extra'];
const SOURCE: Record<string, [string, string]> = { capture: ['PCAP', 'VRRP capture'], syslog: ['LOG', 'keepalived syslog'], conntrack: ['LOG', 'conntrack'], config: ['FILE', 'firewall ruleset'] };

/** plaso's l2tcsv (17 columns, UTC), through csv-stringify with formula-safe cells. */
export async function l2tCsv(r: Report): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows: string[][] = [L2T_COLUMNS];
  for (const e of r.timeline) {
    const iso = toRfc3339(e.at, 6);
    const [src, type] = SOURCE[e.source] ?? ['LOG', e.source];
    const date = `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
    const extra = [`locator: ${e.locator}`, `fraction: ${iso.slice(20, 26)}`, ...(e.vrid !== undefined ? [`vrid: ${e.vrid}`] : []), ...(e.repeat && e.repeat > 1 ? [`repeat: ${e.repeat}`] : [])].join('; ');
    rows.push([date, iso.slice(11, 19), 'UTC', '....', src, type, DESC[e.source] ?? 'Event', '-', e.host ?? '-', e.summary.slice(0, 120), e.summary, '2', e.file, '-', findingIdsAt(r, e.at).join(' ') || '-', 'vrrp-forensics', extra].map(csvCell));
  }
  return stringify(rows);
}
