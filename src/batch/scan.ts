import { archiveProblems, containerOf, expandArchive, statInput } from '../sources/archive/members.js';
import { readCapture, type CaptureInfo } from '../sources/capture/reader.js';
import { ReplayRecorder, type CaptureReplay } from '../sources/capture/replay.js';
import { readTcpdumpText, TCPDUMP_TEXT } from '../sources/tcpdump-text/reader.js';
import { wallClockToEpochMs } from '../model/instant.js';
import type { ConntrackEntry, ConntrackInfo } from '../model/conntrack.js';
import { readConntrack, VRRP_OR_AH, VRRP_OR_AH_LINE, type ConntrackReplay } from '../sources/conntrack/reader.js';
import { BatchRecorder } from '../sources/lent.js';
import { detectKind } from '../sources/detect.js';
import type { Scanned } from '../correlate/incidents.js';
import { readSyslog, SyslogRecorder, type SyslogReplay } from '../sources/syslog/reader.js';

/** A file with more records than this is read again by its analysis rather than held (a storm's adverts). */
export const REPLAY_MAX_RECORDS = 20_000;

/** What the scan read, by path: captures', logs' and conntrack dumps' records, for their analysis to take. */
export type Replays = Record<string, CaptureReplay | SyslogReplay | ConntrackReplay>;

/**
 * A swept file scanned: a file is one Scanned; an archive (tar, zip, sos report) is one per member of a known kind,
 * read in place, and itself too when it is damaged (its damage is then the reason it is listed as skipped). Captures
 * read whole leave their records in `replays`.
 */
export async function scanPath(path: string, year?: number, replays?: Replays): Promise<Scanned[]> {
  const archive = await expandArchive(path);
  if (!archive) return [await scanFile(path, year, replays)];
  const out: Scanned[] = [];
  for (const m of archive.members) out.push({ ...(await scanFile(m, year, replays)), container: containerOf(m) ?? path });
  const damage = archiveProblems(archive.listing);
  if (damage.length || !out.length) out.push({ ...(await scanFile(path, year, replays)), error: damage.map((d) => d.toLine()).join('; ') || undefined });
  return out;
}

/**
 * One quick pass over a file for the span of its VRRP evidence (first and last): captures, the adverts (a capture that
 * runs on with other traffic — IPv6 router solicitations, ARP — must not stretch an incident into the next one);
 * logs, keepalived lines; conntrack, VRRP/AH entries (event times, or the dump time of a snapshot that holds one).
 * Configs and rulesets, and files without VRRP evidence, have none: they join the incidents of their folder. Times
 * travel as decimal strings (workers pass structured clones). A capture's records (up to REPLAY_MAX_RECORDS) are kept
 * in `replays`, so its incident's analysis does not read it again.
 */
export async function scanFile(path: string, year?: number, replays?: Replays): Promise<Scanned> {
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
      const keep = replays && d.format !== TCPDUMP_TEXT ? new ReplayRecorder(REPLAY_MAX_RECORDS) : null;
      const it = d.format === TCPDUMP_TEXT
        ? readTcpdumpText(path, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') })
        : readCapture(path, keep ? { onPacket: keep.onPacket } : {});
      let s = await it.next();
      while (!s.done) {
        keep?.add(s.value);
        for (const r of s.value) if (r.kind === 'vrrp' && r.time !== null) see(r.time);
        s = await it.next();
      }
      if (s.value.error) out.error = s.value.error.toLine();
      const replay = keep?.finish(s.value as CaptureInfo); // (a capture file's summary: keep is null for tcpdump text)
      if (replay) replays![path] = replay;
    } else if (d.kind === 'syslog') {
      // read as the analysis reads it in a batch (zone-less times in UTC), so its analysis can take what this read gave
      const keep = replays ? new SyslogRecorder(REPLAY_MAX_RECORDS) : undefined;
      const it = readSyslog(path, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC'), checkLocalTimes: true, sideLines: true, year, keep });
      let s = await it.next();
      while (!s.done) {
        for (const e of s.value) if (!e.timeOutlier) see(e.time);
        s = await it.next();
      }
      out.hosts = s.value.hosts;
      if (s.value.error) out.error = s.value.error.toLine();
      if (keep?.replay) replays![path] = keep.replay;
    } else if (d.kind === 'conntrack') {
      // with the analysis's filters (VRRP/AH), so its analysis can take what this read gave
      const keep = replays ? new BatchRecorder<ConntrackEntry>(REPLAY_MAX_RECORDS) : undefined;
      const it = readConntrack(path, { prefilter: VRRP_OR_AH_LINE, protocols: VRRP_OR_AH });
      let s = await it.next();
      let entries = 0;
      while (!s.done) {
        keep?.add(s.value);
        // (the prefilter lets the first entry through whatever it is: the format is learnt from it)
        for (const e of s.value) {
          if (!VRRP_OR_AH(e.protoNum)) continue;
          entries++;
          if (e.observedAt !== undefined) see(e.observedAt);
        }
        s = await it.next();
      }
      if (entries && s.value.dumpTime && !s.value.dumpTime.weak) see(s.value.dumpTime.ns);
      if (s.value.error) out.error = s.value.error.toLine();
      const replay = keep?.finish<ConntrackInfo>(s.value);
      if (replay) replays![path] = { ...replay, source: 'conntrack' };
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
