import { promises as fsp } from 'node:fs';
import { timeOf, type PacketView } from '../sources/capture/packet.js';
import { readCapture } from '../sources/capture/reader.js';
import { PROTO } from '../sources/conntrack/entry.js';
import { readConntrack } from '../sources/conntrack/reader.js';
import { detectKind, type InputKind } from '../sources/detect.js';
import { readSyslog } from '../sources/syslog/reader.js';

/** What the grouping needs of one file: its kind, the hosts it names, its time span, its size. */
export interface Scanned {
  path: string;
  kind: InputKind;
  bytes: number;
  first: string | null;
  last: string | null;
  hosts: string[];
  error?: string;
}

/**
 * One quick pass over a file for its time span (first and last timed record). Captures: the packet walk alone, no
 * decoding; logs: keepalived lines; conntrack: dump time or event times. Configs and rulesets have none (they join the
 * incidents of their folder). Times travel as decimal strings (workers pass structured clones).
 */
export async function scanFile(path: string, year?: number): Promise<Scanned> {
  const st = await fsp.stat(path).catch(() => null);
  const d = await detectKind(path);
  const out: Scanned = { path, kind: d.kind, bytes: st?.size ?? 0, first: null, last: null, hosts: [] };
  let first: bigint | null = null;
  let last: bigint | null = null;
  const see = (t: bigint) => {
    if (first === null || t < first) first = t;
    if (last === null || t > last) last = t;
  };
  try {
    if (d.kind === 'capture') {
      // the last packet's raw time fields, copied into one object (the reader reuses its view; a copy per packet
      // would be a million objects for a million packets)
      let lastRaw: PacketView | null = null;
      const it = readCapture(path, {
        onPacket: (v) => {
          if (v.timeOutlier) return; // a damaged time (OutlierGate) does not stretch the span
          if (first === null) {
            const t = timeOf(v).ns;
            if (t !== null) see(t);
          }
          lastRaw ??= { ...v };
          lastRaw.timeKind = v.timeKind;
          lastRaw.tsA = v.tsA;
          lastRaw.tsB = v.tsB;
          lastRaw.iface = v.iface;
        },
      });
      let s = await it.next();
      while (!s.done) s = await it.next();
      if (s.value.error) out.error = s.value.error.toLine();
      const lr = lastRaw as PacketView | null;
      if (lr) {
        const t = timeOf(lr).ns;
        if (t !== null) see(t);
      }
    } else if (d.kind === 'syslog') {
      const it = readSyslog(path, { tz: 'UTC', toEpochMs: (t) => Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second), year });
      let s = await it.next();
      while (!s.done) {
        for (const e of s.value) if (!e.timeOutlier) see(e.time);
        s = await it.next();
      }
      out.hosts = s.value.hosts;
      if (s.value.error) out.error = s.value.error.toLine();
    } else if (d.kind === 'conntrack') {
      const it = readConntrack(path, { prefilter: (l) => l.protoNum === PROTO.VRRP || l.protoNum === PROTO.AH });
      let s = await it.next();
      while (!s.done) {
        for (const e of s.value) if (e.observedAt !== undefined) see(e.observedAt);
        s = await it.next();
      }
      if (s.value.dumpTime && !s.value.dumpTime.weak) see(s.value.dumpTime.ns);
      if (s.value.error) out.error = s.value.error.toLine();
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  const f = first as bigint | null;
  const l = last as bigint | null;
  out.first = f === null ? null : f.toString();
  out.last = l === null ? null : l.toString();
  return out;
}
