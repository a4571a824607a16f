import { archiveProblems, containerOf, expandArchive, statInput } from '../sources/archive/members.js';
import { readCapture } from '../sources/capture/reader.js';
import { readTcpdumpText, TCPDUMP_TEXT } from '../sources/tcpdump-text/reader.js';
import { wallClockToEpochMs } from '../model/instant.js';
import { PROTO } from '../sources/conntrack/entry.js';
import { readConntrack } from '../sources/conntrack/reader.js';
import { detectKind } from '../sources/detect.js';
import type { Scanned } from '../correlate/incidents.js';
import { readSyslog } from '../sources/syslog/reader.js';

/**
 * A swept file scanned: a file is one Scanned; an archive (tar, zip, sos report) is one per member of a known kind,
 * read in place, and itself too when it is damaged (its damage is then the reason it is listed as skipped).
 */
export async function scanPath(path: string, year?: number): Promise<Scanned[]> {
  const archive = await expandArchive(path);
  if (!archive) return [await scanFile(path, year)];
  const out: Scanned[] = [];
  for (const m of archive.members) out.push({ ...(await scanFile(m, year)), container: containerOf(m) ?? path });
  const damage = archiveProblems(archive.listing);
  if (damage.length || !out.length) out.push({ ...(await scanFile(path, year)), error: damage.map((d) => d.toLine()).join('; ') || undefined });
  return out;
}

/**
 * One quick pass over a file for the span of its VRRP evidence (first and last): captures, the adverts (a capture that
 * runs on with other traffic — IPv6 router solicitations, ARP — must not stretch an incident into the next one);
 * logs, keepalived lines; conntrack, VRRP/AH entries (event times, or the dump time of a snapshot that holds one).
 * Configs and rulesets, and files without VRRP evidence, have none: they join the incidents of their folder. Times
 * travel as decimal strings (workers pass structured clones).
 */
export async function scanFile(path: string, year?: number): Promise<Scanned> {
  const st = await statInput(path).catch(() => null);
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
      // tcpdump's text output is capture evidence too (zone-less times read as UTC here, as the logs are)
      const it = d.format === TCPDUMP_TEXT ? readTcpdumpText(path, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') }) : readCapture(path);
      let s = await it.next();
      while (!s.done) {
        for (const r of s.value) if (r.kind === 'vrrp' && r.time !== null) see(r.time);
        s = await it.next();
      }
      if (s.value.error) out.error = s.value.error.toLine();
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
      const vrrp = (p: number) => p === PROTO.VRRP || p === PROTO.AH;
      const it = readConntrack(path, { prefilter: (l) => vrrp(l.protoNum) });
      let s = await it.next();
      let entries = 0;
      while (!s.done) {
        // (the prefilter lets the first entry through whatever it is: the format is learnt from it)
        for (const e of s.value) {
          if (!vrrp(e.protoNum)) continue;
          entries++;
          if (e.observedAt !== undefined) see(e.observedAt);
        }
        s = await it.next();
      }
      if (entries && s.value.dumpTime && !s.value.dumpTime.weak) see(s.value.dumpTime.ns);
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
