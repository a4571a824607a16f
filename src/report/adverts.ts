import { formatInstant, toRfc3339, type TimeStyle } from '../model/instant.js';
import type { VrrpAdvertRecord } from '../model/records.js';
import { CopyFilter } from '../sources/capture/copies.js';
import { forTerminal, secret } from './sanitize.js';

export interface AdvertViewOptions {
  tz: string;
  style: TimeStyle;
  showSecrets: boolean;
}

const AUTH = ['none', 'simple', 'ah'];

function authName(t: number | undefined): string | undefined {
  return t === undefined ? undefined : AUTH[t] ?? `type-${t}`;
}

export function timeText(r: { time: bigint | null; precision: number; timeInvalid?: boolean }, o: AdvertViewOptions): string {
  if (r.time === null) return '(untimed)';
  return formatInstant(r.time, o.tz, o.style, r.precision) + (r.timeInvalid ? ' (invalid)' : '');
}

/** One advert per line: when, where it is in which file, who sent it, and every VRRP field decoded. */
export function advertLine(r: VrrpAdvertRecord, o: AdvertViewOptions): string {
  const parts: string[] = [timeText(r, o), `${r.file}#${r.frame}`, `${r.src} > ${r.dst}`];
  let v = r.version === 2 || r.version === 3 ? `VRRPv${r.version}` : `VRRP version ${r.version} type ${r.type} (not an advertisement)`;
  if (r.vrid !== undefined) v += ` vrid ${r.vrid}`;
  if (r.priority !== undefined) v += ` prio ${r.priority}`;
  if (r.authType !== undefined) v += ` auth ${authName(r.authType)}`;
  if (r.authData !== undefined) v += ` "${secret(r.authData, o.showSecrets)}"`;
  if (r.interval !== undefined) v += ` intvl ${r.interval}${r.intervalUnit}`;
  if (r.addresses) v += ` addrs ${r.addresses.length ? r.addresses.join(',') : '-'}`;
  v += ` cksum ${r.checksumStatus}`;
  if (!r.ttlOk) v += ` ttl ${r.ttl}!`;
  if (r.ipChecksumOk === false) v += ' ip-cksum bad';
  if (r.fragment) v += ' fragment';
  if (r.ah) v += ' ah';
  if (r.truncated) v += ' [truncated]';
  parts.push(v);
  if (r.srcMac) parts.push(`mac ${r.srcMac}`);
  if (r.direction) parts.push(r.direction);
  if (r.interface.name) parts.push(`if ${r.interface.name}`);
  return forTerminal(parts.join('  '));
}

/** The JSON shape of an advert: times as RFC 3339 (9 digits, UTC) plus exact epoch ns as a string. */
export function advertJson(r: VrrpAdvertRecord, o: AdvertViewOptions): Record<string, unknown> {
  const { time, authData, ...rest } = r;
  const out: Record<string, unknown> = {
    time: time === null ? null : toRfc3339(time),
    epochNs: time === null ? null : time.toString(),
    ...rest,
  };
  if (authData !== undefined) out.authData = secret(authData, o.showSecrets);
  return out;
}

export const CSV_COLUMNS = [
  'time', 'epoch_ns', 'file', 'frame', 'offset', 'interface', 'direction', 'src_mac', 'src', 'dst', 'ttl', 'version',
  'vrid', 'priority', 'count', 'auth_type', 'auth_data', 'interval', 'interval_unit', 'addresses', 'checksum',
  'checksum_status', 'truncated',
];

export function advertCsvRow(r: VrrpAdvertRecord, o: AdvertViewOptions): unknown[] {
  return [
    r.time === null ? '' : toRfc3339(r.time), r.time?.toString() ?? '', r.file, r.frame, r.offset,
    r.interface.name ?? r.interface.id, r.direction ?? '', r.srcMac ?? '', r.src, r.dst, r.ttl, r.version, r.vrid,
    r.priority, r.count, authName(r.authType) ?? '', secret(r.authData, o.showSecrets) ?? '', r.interval,
    r.intervalUnit ?? '', (r.addresses ?? []).join(' '), r.checksum === undefined ? '' : r.checksum.toString(16).padStart(4, '0'),
    r.checksumStatus, r.truncated,
  ];
}

interface SourceStats {
  vrid: number;
  src: string;
  first: VrrpAdvertRecord;
  last: VrrpAdvertRecord;
  count: number;
  priorities: Set<number>;
}

/** Per vrid, each sender: first/last advert, count, priorities. Memory grows with senders, not with adverts. */
export class AdvertSummary {
  private readonly stats = new Map<string, SourceStats>();
  private readonly copyFilter = new CopyFilter();
  /** adverts listed twice by an `-i any` capture (two interfaces), counted once */
  copies = 0;

  add(r: VrrpAdvertRecord): void {
    if (r.vrid === undefined) return;
    if (r.time !== null && this.copyFilter.isCopy(r, r.time)) {
      this.copies++;
      return;
    }
    const key = `${r.vrid} ${r.src}`;
    let s = this.stats.get(key);
    if (!s) {
      s = { vrid: r.vrid, src: r.src, first: r, last: r, count: 0, priorities: new Set() };
      this.stats.set(key, s);
    }
    s.count++;
    s.last = r;
    if (r.priority !== undefined) s.priorities.add(r.priority);
  }

  rows(): SourceStats[] {
    return [...this.stats.values()].sort((a, b) => a.vrid - b.vrid || cmpTime(a.first, b.first));
  }

  lines(o: AdvertViewOptions): string[] {
    const rows = this.rows();
    if (!rows.length) return ['No VRRP advertisements found.'];
    const out = ['', `Summary (times in ${o.tz}):`];
    let vrid = -1;
    for (const s of rows) {
      if (s.vrid !== vrid) {
        vrid = s.vrid;
        out.push(`  vrid ${vrid}`);
      }
      out.push(forTerminal(
        `    ${s.src.padEnd(15)}  ${s.count} adverts  first ${timeText(s.first, o)} (${s.first.file}#${s.first.frame})` +
          `  last ${timeText(s.last, o)} (${s.last.file}#${s.last.frame})  prio ${[...s.priorities].sort((a, b) => a - b).join(',')}`,
      ));
    }
    if (this.copies) out.push(`  (${this.copies} adverts listed twice — seen on two interfaces of a tcpdump -i any capture — are counted once)`);
    return out;
  }
}

function cmpTime(a: VrrpAdvertRecord, b: VrrpAdvertRecord): number {
  if (a.time === null || b.time === null) return 0;
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}
