import { promises as fsp } from 'node:fs';
import type { Problem } from '../../errors.js';
import { parseIp } from '../../model/address.js';
import { formatInstant } from '../../model/instant.js';
import type { CaptureRecord, VrrpAdvertRecord } from '../../model/records.js';
import { fold, sum16, sumIsValid } from '../capture/checksum.js';
import { parseDateLine, timeFromName } from '../conntrack/dump-time.js';
import { drive, type DriveInfo } from '../drive.js';
import { LineSplitter, type Line } from '../lines.js';
import { parseGarp, parseHead, parseIpDetails, parseVrrp, UNTIMED, type Head, type IpDetails, type Stamp } from './line.js';

export const TCPDUMP_TEXT = 'tcpdump-text';

export interface TcpdumpTextInfo extends DriveInfo {
  file: string;
  format: typeof TCPDUMP_TEXT;
  lines: number;
  /** packet lines of other protocols, passed over */
  otherPackets: number;
  /** packet lines whose stamp cannot be placed in time (-t, -ttt, -ttttt): counted and reported, not read */
  untimed: number;
  records: number;
  /** where the date of time-of-day stamps came from: the lines themselves (-tttt, -tt), a date line, the name, mtime */
  dateFrom: 'lines' | 'date-line' | 'name' | 'mtime' | null;
  problems: Problem[];
}

export interface TcpdumpTextOptions {
  /** zone the stamps were printed in (tcpdump prints the capturing machine's local time) */
  tz: string;
  toEpochMs: (t: { year: number; month: number; day: number; hour: number; minute: number; second: number }) => number;
  /** for time-of-day stamps: an instant on the day the first packet was printed (name or mtime; a date line wins) */
  anchor?: { ns: bigint; from: 'name' | 'mtime' };
}

const DAY = 86_400_000_000_000n;
const HALF_DAY = DAY / 2n;

/**
 * tcpdump's text output as capture evidence: every VRRP advert (and gratuitous ARP) line becomes the record the pcap
 * reader would make of that packet, as far as the text shows it, cited by line. A `-v` advert whose checksum failed
 * carries every field the checksum covers, so the VRRPv3 source proof works on text too.
 */
export class TcpdumpTextParser {
  readonly info: TcpdumpTextInfo;
  private readonly splitter: LineSplitter;
  /** a `-v` IPv4 head line waiting for its indented VRRP line */
  private pending: { head: Head; details: IpDetails; line: Line } | null = null;
  /** time-of-day stamps: the day they fall on, advanced when the clock goes back over midnight */
  private day: { year: number; month: number; day: number } | null = null;
  private lastTod: bigint | null = null;
  private readonly ifIndex = new Map<string, number>();
  private firstUntimed = 0;

  constructor(file: string, private readonly emit: (r: CaptureRecord) => void, private readonly opts: TcpdumpTextOptions) {
    this.info = { file, format: TCPDUMP_TEXT, gzip: false, bytes: 0, lines: 0, otherPackets: 0, untimed: 0, records: 0, dateFrom: null, problems: [] };
    this.splitter = new LineSplitter(file, (l) => this.line(l), (p) => this.info.problems.push(p), 'tcpdump text output');
  }

  write(chunk: Uint8Array): void {
    this.info.bytes += chunk.length;
    this.splitter.write(chunk);
  }

  end(): void {
    this.splitter.end();
    if (this.pending) this.info.otherPackets++;
    if (this.info.untimed) {
      this.info.problems.push({
        code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, line: this.firstUntimed,
        message: `${this.info.untimed} packet line${this.info.untimed === 1 ? '' : 's'} without an absolute time (tcpdump -t, -ttt or -ttttt) not read: print them with -tttt`,
      });
    }
  }

  private line(l: Line): void {
    this.info.lines++;
    const text = l.text;
    if (this.pending && /^\s/.test(text)) {
      const p = this.pending;
      this.pending = null;
      this.packet(p.head, p.details, text.trim(), p.line);
      return;
    }
    if (this.pending) this.info.otherPackets++;
    this.pending = null;
    const head = parseHead(text);
    if (!head && UNTIMED.test(text)) {
      if (this.info.untimed++ === 0) this.firstUntimed = l.line;
      return;
    }
    if (!head) {
      // `date` run before tcpdump: the day of the time-of-day stamps that follow
      const d = this.day === null ? parseDateLine(text) : null;
      if (d !== null) this.setDay(d, 'date-line');
      return;
    }
    const ip = parseIpDetails(head.rest);
    if (ip && !ip.after) {
      this.pending = { head, details: ip.details, line: l };
      return;
    }
    this.packet(head, ip?.details, ip ? ip.after : head.rest, l);
  }

  private packet(head: Head, details: IpDetails | undefined, rest: string, l: Line): void {
    const at = this.timeOf(head.stamp, l);
    if (at === null) return;
    const v = parseVrrp(rest);
    const base = {
      file: this.info.file, frame: head.frame ?? l.line, offset: l.offset, line: l.line, time: at, precision: head.stamp.frac.length,
      interface: { id: 0, section: 0, linkType: -1, ...(head.iface ? { name: head.iface } : {}) },
      ...(head.direction ? { direction: head.direction } : {}), ...(head.srcMac ? { srcMac: head.srcMac } : {}),
      ...(head.iface ? { ifIndex: this.indexOf(head.iface) } : {}),
      caplen: head.linkLength ?? details?.length ?? 0, origlen: head.linkLength ?? details?.length ?? 0,
    };
    if (!v) {
      const g = parseGarp(rest);
      const mac = g?.mac ?? head.srcMac;
      // a gratuitous ARP says who announced the address only with a MAC (-e, or a reply's is-at)
      if (g && mac) {
        this.info.records++;
        this.emit({ ...base, kind: 'garp', op: g.op, senderMac: mac, address: g.address });
      } else this.info.otherPackets++;
      return;
    }
    const ipVersion = details?.ipVersion ?? (v.src.includes(':') ? 6 : 4);
    // without -v tcpdump shows neither TTL nor checksum: the TTL is taken as valid, the checksum as unknown
    const ttl = details?.ttl ?? 255;
    const r: VrrpAdvertRecord = {
      ...base, kind: 'vrrp', ipVersion, src: v.src, dst: v.dst, ttl, ttlOk: ttl === 255, version: v.version, type: v.type, vrid: v.vrid,
      priority: v.priority, interval: v.interval, intervalUnit: v.intervalUnit, length: v.length, truncated: false,
      checksumStatus: details ? (v.badChecksum !== undefined ? 'bad' : 'ok') : 'unknown',
    };
    if (v.ah || details?.proto === 51) r.ah = true;
    if (v.authType !== undefined) r.authType = v.authType;
    if (v.authData !== undefined) r.authData = v.authData;
    if (v.addresses) [r.addresses, r.count] = [v.addresses, v.addresses.length];
    if (v.badChecksum !== undefined) {
      r.checksum = v.badChecksum;
      const sums = v.version === 3 && v.addresses ? v3SumsFromFields(v.badChecksum, r) : null;
      if (sums && r.ipVersion === 4 && sumIsValid(sums.message)) {
        // tcpdump checks only RFC 5798's form; one that holds over the message alone (Cisco IOS) is no bad checksum
        // and, covering no address, no proof of NAT (the checksum rule in vrrp.ts)
        r.checksumStatus = 'ok';
        r.checksumConvention = 'no-pseudo-header';
      } else if (sums) {
        r.v3PartialSum = sums.partial;
        r.checksumConvention = 'neither';
      }
    }
    this.info.records++;
    this.emit(r);
  }

  private indexOf(iface: string): number {
    let i = this.ifIndex.get(iface);
    if (i === undefined) this.ifIndex.set(iface, (i = this.ifIndex.size + 1));
    return i;
  }

  private setDay(ns: bigint, from: NonNullable<TcpdumpTextInfo['dateFrom']>): void {
    const d = formatInstant(ns, this.opts.tz, 'tttt', 0);
    this.day = { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)) - 1, day: Number(d.slice(8, 10)) };
    this.info.dateFrom = from;
  }

  private timeOf(s: Stamp, l: Line): bigint | null {
    const frac = BigInt(s.frac.padEnd(9, '0'));
    if (s.kind === 'epoch') {
      this.info.dateFrom ??= 'lines';
      return s.seconds * 1_000_000_000n + frac;
    }
    if (s.kind === 'date') {
      this.info.dateFrom ??= 'lines';
      return BigInt(this.opts.toEpochMs(s)) * 1_000_000n + frac;
    }
    if (this.day === null) {
      const a = this.opts.anchor;
      if (!a) {
        this.info.problems.push({ code: 'E_BAD_TIME', severity: 'warning', message: 'time-of-day stamps with no date (no date line, name or mtime): not placed in time', file: this.info.file, line: l.line });
        return null;
      }
      this.setDay(a.ns, a.from);
      this.info.problems.push({
        code: 'E_BAD_TIME', severity: 'warning', file: this.info.file, line: l.line,
        message: `time-of-day stamps without a date: the day is taken from the file's ${a.from === 'name' ? 'name' : 'mtime (weak: copying changes it)'}`,
      });
    }
    let t = BigInt(this.opts.toEpochMs({ ...this.day!, hour: s.hour, minute: s.minute, second: s.second })) * 1_000_000n + frac;
    if (this.lastTod !== null) {
      // tcpdump ran over midnight: the clock went back by more than half a day
      while (t < this.lastTod - HALF_DAY) t += DAY;
    }
    this.lastTod = t;
    return t;
  }
}

/**
 * VRRPv3: the checksum's partial sum (pseudo-header without the source, plus the message) rebuilt from what `-v`
 * printed — every field the checksum covers (version, type, vrid, priority, count, interval, the checksum field
 * itself, the addresses) and the destination; and the message's own sum (Cisco IOS's checksum covers only that).
 * Null when an address does not parse (a name, without -n).
 */
function v3SumsFromFields(checksum: number, r: VrrpAdvertRecord): { partial: number; message: number } | null {
  const addrs = (r.addresses ?? []).map(parseIp);
  const dst = parseIp(r.dst);
  if (!dst || addrs.some((a) => a === null)) return null;
  const head = [(r.version << 4) | r.type, r.vrid!, r.priority!, addrs.length, (r.interval! >> 8) & 0x0f, r.interval! & 0xff, checksum >> 8, checksum & 0xff];
  const msg = Uint8Array.from([...head, ...addrs.flatMap((a) => [...a!])]);
  const len = msg.length;
  const body = sum16(msg, 0, len);
  const partial = r.ipVersion === 4 ? fold(body + sum16(dst, 0, 4) + 112 + len) : fold(body + sum16(dst, 0, 16) + (len >>> 16) + (len & 0xffff) + 112);
  return { partial, message: body };
}

/** Reads tcpdump text (path, gzip or not) as batches of capture records, like readCapture; never throws for bad content. */
export async function* readTcpdumpText(path: string, opts: Omit<TcpdumpTextOptions, 'anchor'>): AsyncGenerator<CaptureRecord[], TcpdumpTextInfo> {
  const named = timeFromName(path);
  const anchor = named !== null ? { ns: named, from: 'name' as const } : await fsp.stat(path).then((s) => ({ ns: BigInt(Math.floor(s.mtimeMs)) * 1_000_000n, from: 'mtime' as const }), () => undefined);
  return yield* drive<CaptureRecord, TcpdumpTextInfo>(path, (emit) => new TcpdumpTextParser(path, emit, { ...opts, ...(anchor ? { anchor } : {}) }));
}
