import { formatInstant, toRfc3339, type TimeStyle } from '../model/instant.js';
import type { CarpAdvertRecord, VrrpAdvertRecord } from '../model/records.js';
import { checksumText, type SkippedFrames } from '../model/records.js';
import { CopyFilter } from '../model/advert-copies.js';
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
  let v = r.version === 2 || r.version === 3 ? `VRRPv${r.version}` : `VRRP version ${r.version} type ${r.type} (not an advertisement)`;
  if (r.vrid !== undefined) v += ` vrid ${r.vrid}`;
  if (r.priority !== undefined) v += ` prio ${r.priority}`;
  if (r.authType !== undefined) v += ` auth ${authName(r.authType)}`;
  if (r.authData !== undefined) v += ` "${secret(r.authData, o.showSecrets)}"`;
  if (r.interval !== undefined) v += ` intvl ${r.interval}${r.intervalUnit}`;
  if (r.addresses) v += ` addrs ${r.addresses.length ? r.addresses.join(',') : '-'}`;
  v += ` cksum ${checksumText(r)}`;
  return framedLine(r, o, v, (r.fragment ? ' fragment' : '') + (r.ah ? ' ah' : ''));
}

/** A CARP advert: its own protocol on IP 112, never shown as VRRP. */
export function carpLine(r: CarpAdvertRecord, o: AdvertViewOptions): string {
  let v = `CARPv${r.version} vhid ${r.vhid ?? '?'}`;
  if (r.advbase !== undefined) v += ` advbase ${r.advbase}`;
  v += ` advskew ${r.advskew ?? '?'}`;
  if (r.demotion) v += ` demote ${r.demotion}`;
  if (r.counter !== undefined) v += ` counter ${r.counter}`;
  v += ` cksum ${r.checksumStatus}`;
  return framedLine(r, o, v);
}

type Framed = Pick<CarpAdvertRecord, 'time' | 'precision' | 'timeInvalid' | 'file' | 'frame' | 'src' | 'dst' | 'ttl' | 'ttlOk' | 'ipChecksumOk' | 'truncated' | 'srcMac' | 'direction' | 'interface'>;

/**
 * One listing line around a protocol's own fields `v`: when, where, who; the IP-level marks (with the protocol's
 * own `flags` before the truncation mark); the link-level ones.
 */
function framedLine(r: Framed, o: AdvertViewOptions, v: string, flags = ''): string {
  if (!r.ttlOk) v += ` ttl ${r.ttl}!`;
  if (r.ipChecksumOk === false) v += ' ip-cksum bad';
  v += flags;
  if (r.truncated) v += ' [truncated]';
  const parts = [timeText(r, o), `${r.file}#${r.frame}`, `${r.src} > ${r.dst}`, v];
  if (r.srcMac) parts.push(`mac ${r.srcMac}`);
  if (r.direction) parts.push(r.direction);
  if (r.interface.name) parts.push(`if ${r.interface.name}`);
  return forTerminal(parts.join('  '));
}

/** Frames not decoded, by cause: "ethertype 0x0000 ×3, link type 147 ×1" — the real cause, never just the link. */
export function skippedText(skipped: SkippedFrames[]): string {
  return skipped.map((k) => `${k.etherType === null ? `link type ${k.linkType}` : `ethertype 0x${k.etherType.toString(16).padStart(4, '0')}${k.etherType > 0 && k.etherType < 0x0600 ? ' (an 802.3 length: LLC)' : ''}`} ×${k.frames}`).join(', ');
}

export function skippedCount(skipped: SkippedFrames[]): number {
  return skipped.reduce((n, k) => n + k.frames, 0);
}

/** The warning for one capture with frames not decoded, or null when every frame was read. */
export function skippedWarning(info: { skipped: SkippedFrames[]; frames: number }): string | null {
  const n = skippedCount(info.skipped);
  return n ? `${n} of ${info.frames} packets were not decoded: ${skippedText(info.skipped)}` : null;
}

/** The JSON shape of an advert: times as RFC 3339 (9 digits, UTC) plus exact epoch ns as a string. */
export function advertJson(r: VrrpAdvertRecord | CarpAdvertRecord, o: AdvertViewOptions): Record<string, unknown> {
  const { time, ...rest } = r;
  const authData = r.kind === 'vrrp' ? r.authData : undefined;
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
  'checksum_status', 'truncated', 'protocol', 'advskew', 'checksum_convention',
];

export function advertCsvRow(r: VrrpAdvertRecord, o: AdvertViewOptions): unknown[] {
  return [
    r.time === null ? '' : toRfc3339(r.time), r.time?.toString() ?? '', r.file, r.frame, r.offset,
    r.interface.name ?? r.interface.id, r.direction ?? '', r.srcMac ?? '', r.src, r.dst, r.ttl, r.version, r.vrid,
    r.priority, r.count, authName(r.authType) ?? '', secret(r.authData, o.showSecrets) ?? '', r.interval,
    r.intervalUnit ?? '', (r.addresses ?? []).join(' '), r.checksum === undefined ? '' : r.checksum.toString(16).padStart(4, '0'),
    r.checksumStatus, r.truncated, 'vrrp', '', r.checksumConvention ?? '',
  ];
}

/** CARP in the same columns: vhid under vrid, advbase under interval; protocol says which it is. */
export function carpCsvRow(r: CarpAdvertRecord): unknown[] {
  return [
    r.time === null ? '' : toRfc3339(r.time), r.time?.toString() ?? '', r.file, r.frame, r.offset,
    r.interface.name ?? r.interface.id, r.direction ?? '', r.srcMac ?? '', r.src, r.dst, r.ttl, r.version, r.vhid,
    '', '', '', '', r.advbase, r.advbase === undefined ? '' : 's', '', r.checksum === undefined ? '' : r.checksum.toString(16).padStart(4, '0'),
    r.checksumStatus, r.truncated, 'carp', r.advskew ?? '', '',
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
  private readonly carpStats = new Map<string, { vhid: number; src: string; first: CarpAdvertRecord; last: CarpAdvertRecord; count: number; skews: Set<number> }>();
  private readonly copyFilter = new CopyFilter();
  /** adverts listed twice by an `-i any` capture (two interfaces), counted once */
  copies = 0;
  /** records listed that are no advertisement (another VRRP version or type) */
  others = 0;
  /** frames of link/ethertypes not decoded, over every input */
  readonly skipped: SkippedFrames[] = [];

  addSkipped(list: SkippedFrames[]): void {
    for (const k of list) {
      const same = this.skipped.find((x) => x.linkType === k.linkType && x.etherType === k.etherType);
      if (same) same.frames += k.frames;
      else this.skipped.push({ ...k });
    }
  }

  addCarp(r: CarpAdvertRecord): void {
    if (r.vhid === undefined) return;
    const key = `${r.vhid} ${r.src}`;
    let s = this.carpStats.get(key);
    if (!s) this.carpStats.set(key, (s = { vhid: r.vhid, src: r.src, first: r, last: r, count: 0, skews: new Set() }));
    s.count++;
    s.last = r;
    if (r.advskew !== undefined) s.skews.add(r.advskew);
  }

  add(r: VrrpAdvertRecord): void {
    if (r.vrid === undefined) {
      this.others++;
      return;
    }
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

  /** "None found", never bare under a listing: what the listed packets were instead. */
  private noneFound(): string {
    const listed: string[] = [];
    if (this.others) listed.push(`${this.others === 1 ? 'one VRRP packet' : `${this.others} VRRP packets`} of another version or type`);
    const carp = [...this.carpStats.values()].reduce((n, c) => n + c.count, 0);
    if (carp) listed.push(`${carp === 1 ? 'one CARP advert' : `${carp} CARP adverts`} (another protocol on IP 112)`);
    return listed.length ? `No VRRP advertisements: the packets listed above are ${listed.join(' and ')}.` : 'No VRRP advertisements found.';
  }

  rows(): SourceStats[] {
    return [...this.stats.values()].sort((a, b) => a.vrid - b.vrid || cmpTime(a.first, b.first));
  }

  lines(o: AdvertViewOptions): string[] {
    const rows = this.rows();
    const out = ['', `Summary (times in ${o.tz}):`];
    // never a bare "none found" under a listing, nor when frames went undecoded
    if (!rows.length) out.push(`  ${this.noneFound()}`);
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
    for (const c of [...this.carpStats.values()].sort((a, b) => a.vhid - b.vhid || cmpTime(a.first, b.first))) {
      out.push(forTerminal(
        `  CARP vhid ${c.vhid} (not VRRP)  ${c.src.padEnd(15)}  ${c.count} adverts  first ${timeText(c.first, o)} (${c.first.file}#${c.first.frame})` +
          `  last ${timeText(c.last, o)} (${c.last.file}#${c.last.frame})  advskew ${[...c.skews].sort((a, b) => a - b).join(',')}`,
      ));
    }
    const n = skippedCount(this.skipped);
    if (n) out.push(`  ${n === 1 ? '1 frame was' : `${n} frames were`} not decoded (${skippedText(this.skipped)}): VRRP inside ${n === 1 ? 'it' : 'them'} would not be listed.`);
    return out;
  }
}

function cmpTime(a: { time: bigint | null }, b: { time: bigint | null }): number {
  if (a.time === null || b.time === null) return 0;
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}
